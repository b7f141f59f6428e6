"""`python -m sync.shopify.validated_manifest`: validate every document of sync.shopify.documents
against every vendored schema and write the result that sync.shopify.validated_documents reads
(run it after changing a document or a schema file; a test says when it is due)."""

import json
import sys
from importlib import resources
from pathlib import Path

from graphql import DocumentNode, validate

from sync.shopify import documents
from sync.shopify.admin_schema import SCHEMA_PACKAGE, parsed_schema, schema_choices
from sync.shopify.validated_documents import MANIFEST, document_hash


def build_manifest() -> str:
    """Validate every document of sync.shopify.documents against every schema choice (parses
    every vendored schema) and return the manifest's text."""
    docs = {
        name: value
        for name, value in sorted(vars(documents).items())
        if isinstance(value, DocumentNode)
    }
    hashes = {name: document_hash(document) for name, document in docs.items()}
    schemas: dict[str, list[str]] = {}
    for choice in schema_choices():
        schema = parsed_schema(choice)
        # in the documents' name order, so that a diff of the file reads by name
        schemas[choice.key] = [
            hashes[name] for name, document in docs.items() if not validate(schema, document)
        ]
    payload = {
        "about": "written by `python -m sync.shopify.validated_manifest`; see that module",
        "documents": {digest: name for name, digest in hashes.items()},
        "schemas": schemas,
    }
    return json.dumps(payload, indent=1) + "\n"


def manifest_path() -> Path:
    return Path(str(resources.files(SCHEMA_PACKAGE).joinpath(MANIFEST)))


def main() -> int:
    manifest_path().write_text(build_manifest())
    print(f"written {manifest_path()}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
