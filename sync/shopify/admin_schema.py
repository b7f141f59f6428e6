"""Shopify's Admin GraphQL schema, vendored in sync/shopify/schema/ (see its README).

The client validates every document against the schema of a channel's API version before it is
sent, so a document Shopify would reject never leaves the process. The files are big (the SDL
builds in about a second): each is parsed at most once per process and shared.
"""

import gzip
import hashlib
import json
import threading
from dataclasses import dataclass
from importlib import resources

from graphql import GraphQLSchema, build_ast_schema, build_client_schema, extend_schema, parse

from sync.shopify.versions import has_feature

SCHEMA_PACKAGE = "sync.shopify.schema"
# The 2026-01 fields the client uses beyond the newest vendored file (bulkOperations), from docs.
ADDITIONS_2026_01 = "additions-2026-01.graphql"


@dataclass(frozen=True)
class SchemaFile:
    """One vendored schema file and the stable API version it stands for."""

    version: str  # YYYY-MM; the unstable snapshot is filed under the version it preceded
    filename: str

    @property
    def is_sdl(self) -> bool:
        return self.filename.endswith(".graphql.gz")


# Oldest first. The unstable snapshot of 2025-10-09 is what became 2025-10.
SCHEMA_FILES: tuple[SchemaFile, ...] = (
    SchemaFile("2025-01", "admin-2025-01.introspection.json.gz"),
    SchemaFile("2025-10", "admin-unstable-2025-10-09.graphql.gz"),
)


def schema_file_for(api_version: str) -> SchemaFile:
    """The vendored file nearest to `api_version`, preferring the next newer one.

    Shopify adds fields in new versions and removes them only after a deprecation, so the oldest
    schema at or after a channel's version accepts what that version accepts; an older one would
    refuse what the version added (productSet's `identifier` arrived in 2025-04). A version newer
    than every file, and `unstable`, get the newest.
    """
    if api_version != "unstable":
        for file in SCHEMA_FILES:
            if file.version >= api_version:
                return file
    return SCHEMA_FILES[-1]


_cache: dict[str, GraphQLSchema] = {}
_lock = threading.Lock()


def load_schema_file(file: SchemaFile) -> GraphQLSchema:
    """Parse one vendored file, once per process (thread-safe: the client loads it off the loop)."""
    with _lock:
        schema = _cache.get(file.filename)
        if schema is None:
            schema = _build(file)
            _cache[file.filename] = schema
        return schema


@dataclass(frozen=True)
class SchemaChoice:
    """What a channel's documents are validated against: one vendored file, and for 2026-01 and
    later the documented additions (ADDITIONS_2026_01) on top of the newest file."""

    file: SchemaFile
    additions: bool

    @property
    def key(self) -> str:
        """Names the exact bytes the schema is built from (a refreshed file gets a new key)."""
        digest = hashlib.sha256(_package_bytes(self.file.filename))
        name = self.file.filename
        if self.additions:
            digest.update(_package_bytes(ADDITIONS_2026_01))
            name = f"{name}+{ADDITIONS_2026_01}"
        return f"{name}@{digest.hexdigest()[:16]}"


def schema_choice(api_version: str) -> SchemaChoice:
    file = schema_file_for(api_version)
    additions = has_feature(api_version, "bulkOperationsQuery") and file == SCHEMA_FILES[-1]
    return SchemaChoice(file, additions)


def schema_choices() -> list[SchemaChoice]:
    """Every schema a channel can be validated against."""
    return [SchemaChoice(file, False) for file in SCHEMA_FILES] + [
        SchemaChoice(SCHEMA_FILES[-1], True)
    ]


def admin_schema(api_version: str) -> GraphQLSchema:
    """The parsed schema nearest to `api_version` (see schema_file_for), with what 2026-01 added
    (ADDITIONS_2026_01) for versions that have it."""
    return parsed_schema(schema_choice(api_version))


def parsed_schema(choice: SchemaChoice) -> GraphQLSchema:
    if not choice.additions:
        return load_schema_file(choice.file)
    with _lock:
        schema = _cache.get(ADDITIONS_2026_01)
        if schema is None:
            base = _cache.get(choice.file.filename) or _build(choice.file)
            _cache.setdefault(choice.file.filename, base)
            additions = _package_bytes(ADDITIONS_2026_01).decode()
            schema = extend_schema(base, parse(additions, no_location=True), assume_valid=True)
            _cache[ADDITIONS_2026_01] = schema
        return schema


def _package_bytes(filename: str) -> bytes:
    return resources.files(SCHEMA_PACKAGE).joinpath(filename).read_bytes()


def read_schema_bytes(filename: str) -> bytes:
    """The decompressed bytes of one vendored file; a missing file raises FileNotFoundError."""
    return gzip.decompress(_package_bytes(filename))


def _build(file: SchemaFile) -> GraphQLSchema:
    text = read_schema_bytes(file.filename)
    # assume_valid: graphql-core refuses Shopify's schema itself over a few deprecation
    # mismatches between interfaces and their implementations; documents are still fully
    # validated against it.
    if file.is_sdl:
        # Without source locations (only messages about the schema itself would use them): the
        # schema then keeps ~280,000 objects instead of ~500,000, each one more for the cyclic
        # garbage collector to visit in every full collection of the process.
        return build_ast_schema(parse(text.decode(), no_location=True), assume_valid=True)
    return build_client_schema(json.loads(text)["data"], assume_valid=True)
