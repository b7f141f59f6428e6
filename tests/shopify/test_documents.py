"""Every document the client sends must be one Shopify's real Admin schema accepts."""

import gzip
import json
from pathlib import Path

import pytest
from graphql import (
    DocumentNode,
    GraphQLSchema,
    build_client_schema,
    build_schema,
    parse,
    validate,
)

from sync.shopify import documents
from sync.shopify.bulk import bulk_query_text

REPO_ROOT = Path(__file__).parents[2]
SCHEMA_DIR = REPO_ROOT.parent / "shared" / "shopify-admin-schema"
UNSTABLE = SCHEMA_DIR / "admin-unstable-2025-10-09.graphql.gz"
V2025_01 = SCHEMA_DIR / "admin-2025-01.introspection.json.gz"

DOCUMENTS = {
    name: value for name, value in vars(documents).items() if isinstance(value, DocumentNode)
}


@pytest.fixture(scope="session")
def unstable_schema() -> GraphQLSchema:
    if not UNSTABLE.exists():
        pytest.skip(
            f"Shopify schema file not found at {UNSTABLE} (needs ../shared beside the repo)"
        )
    with gzip.open(UNSTABLE, "rt") as f:
        return build_schema(f.read(), assume_valid=True)


@pytest.fixture(scope="session")
def schema_2025_01() -> GraphQLSchema:
    if not V2025_01.exists():
        pytest.skip(
            f"Shopify schema file not found at {V2025_01} (needs ../shared beside the repo)"
        )
    with gzip.open(V2025_01, "rt") as f:
        return build_client_schema(json.load(f)["data"], assume_valid=True)


def test_module_defines_documents() -> None:
    assert len(DOCUMENTS) >= 10


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_document_valid_against_unstable(name: str, unstable_schema: GraphQLSchema) -> None:
    errors = validate(unstable_schema, DOCUMENTS[name])
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if not n.endswith("_UNSTABLE_ONLY")))
def test_document_valid_against_2025_01(name: str, schema_2025_01: GraphQLSchema) -> None:
    errors = validate(schema_2025_01, DOCUMENTS[name])
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if n.endswith("_UNSTABLE_ONLY")))
def test_unstable_only_documents_really_need_unstable(
    name: str, schema_2025_01: GraphQLSchema
) -> None:
    # Keeps the suffix honest: a document that validates on 2025-01 should lose it.
    assert validate(schema_2025_01, DOCUMENTS[name]) != []


def test_filtered_bulk_query_is_valid(unstable_schema: GraphQLSchema) -> None:
    text = bulk_query_text("2026-01-02T03:04:05Z")
    assert "updated_at:>='2026-01-02T03:04:05Z'" in text
    assert validate(unstable_schema, parse(text)) == []


def test_documents_with_arguments_take_them_as_variables() -> None:
    # Apart from the bulk query (bulk queries have no variables) every document that passes
    # values declares variables.
    for name, document in DOCUMENTS.items():
        if name in {"SHOP_QUERY", "BULK_PRODUCTS_QUERY", "BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY"}:
            continue
        operation = document.definitions[0]
        assert getattr(operation, "variable_definitions", ()), name
