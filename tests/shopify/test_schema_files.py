"""The vendored Shopify schema files are present, unaltered, and chosen by API version."""

import hashlib
from importlib import resources

import pytest

from sync.shopify.admin_schema import SCHEMA_FILES, SCHEMA_PACKAGE, SchemaFile, schema_file_for

# The checksums of sync/shopify/schema/README.md: a refreshed file must update both.
SHA256 = {
    "admin-2025-01.introspection.json.gz": (
        "1057c5bca68fafa831bad094d0c42a236eebc255d74347eca8f9d2670ff60608"
    ),
    "admin-unstable-2025-10-09.graphql.gz": (
        "bdac87f0e1d4e25ac0635564ba1f71dbbd27c276a37ede9736c69288d9bf37a9"
    ),
}


@pytest.mark.parametrize("file", SCHEMA_FILES, ids=lambda f: f.filename)
def test_schema_file_is_vendored_with_its_readme_checksum(file: SchemaFile) -> None:
    filename = file.filename
    data = resources.files(SCHEMA_PACKAGE).joinpath(filename).read_bytes()
    assert hashlib.sha256(data).hexdigest() == SHA256[filename]
    readme = resources.files(SCHEMA_PACKAGE).joinpath("README.md").read_text()
    assert SHA256[filename] in readme and filename in readme


def test_every_vendored_file_is_listed() -> None:
    on_disk = {
        entry.name
        for entry in resources.files(SCHEMA_PACKAGE).iterdir()
        if entry.name.endswith(".gz")
    }
    assert on_disk == {f.filename for f in SCHEMA_FILES} == set(SHA256)


@pytest.mark.parametrize(
    ("version", "filename"),
    [
        ("2024-07", "admin-2025-01.introspection.json.gz"),
        ("2025-01", "admin-2025-01.introspection.json.gz"),
        # 2025-04 added productSet(identifier:); the 2025-01 file would refuse it
        ("2025-04", "admin-unstable-2025-10-09.graphql.gz"),
        ("2025-10", "admin-unstable-2025-10-09.graphql.gz"),
        ("2026-01", "admin-unstable-2025-10-09.graphql.gz"),
        ("unstable", "admin-unstable-2025-10-09.graphql.gz"),
    ],
)
def test_schema_nearest_to_a_channel_version(version: str, filename: str) -> None:
    assert schema_file_for(version).filename == filename


def test_the_sdl_schema_keeps_no_source_locations() -> None:
    # Locations and tokens were ~220,000 of the schema's objects, each visited by every full
    # garbage collection of the API process; no message about a document needs them.
    from sync.shopify.admin_schema import admin_schema

    schema = admin_schema("2026-10")
    product = schema.get_type("Product")
    assert product is not None and product.ast_node is not None
    assert product.ast_node.loc is None
