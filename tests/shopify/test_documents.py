"""Every document the client sends must be one Shopify's real Admin schema accepts."""

import importlib
import pkgutil

import pytest
from graphql import (
    DocumentNode,
    GraphQLSchema,
    parse,
    validate,
)

from sync.shopify import documents
from sync.shopify.admin_schema import admin_schema
from sync.shopify.bulk_query import bulk_query_text

DOCUMENTS = {
    name: value for name, value in vars(documents).items() if isinstance(value, DocumentNode)
}


def _from_2026_01(name: str) -> bool:
    return name.endswith("_2026_01_ONLY")


def test_module_defines_documents() -> None:
    assert len(DOCUMENTS) >= 10


def test_package_exports_every_document_its_submodules_define() -> None:
    # The package namespace is the one list the checks below iterate: a document defined in a
    # submodule but not re-exported would escape validation.
    for module_info in pkgutil.iter_modules(documents.__path__):
        module = importlib.import_module(f"{documents.__name__}.{module_info.name}")
        for name, value in vars(module).items():
            if isinstance(value, DocumentNode):
                assert DOCUMENTS.get(name) is value, f"{module_info.name}.{name} not exported"


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if not _from_2026_01(n)))
def test_document_valid_against_unstable(name: str, shopify_unstable_schema: GraphQLSchema) -> None:
    errors = validate(shopify_unstable_schema, DOCUMENTS[name])
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if _from_2026_01(n)))
def test_2026_01_documents(name: str, shopify_unstable_schema: GraphQLSchema) -> None:
    # The client's own 2026-01 schema: the unstable file plus the documented 2026-01 additions.
    errors = validate(admin_schema("2026-01"), DOCUMENTS[name])
    assert errors == [], [e.message for e in errors]
    # Keeps the suffix honest: without the 2026-01 additions the document is refused.
    assert validate(shopify_unstable_schema, DOCUMENTS[name]) != []


@pytest.mark.parametrize(
    "name",
    sorted(n for n in DOCUMENTS if not n.endswith("_UNSTABLE_ONLY") and not _from_2026_01(n)),
)
def test_document_valid_against_2025_01(name: str, shopify_2025_01_schema: GraphQLSchema) -> None:
    errors = validate(shopify_2025_01_schema, DOCUMENTS[name])
    assert errors == [], [e.message for e in errors]


@pytest.mark.parametrize("name", sorted(n for n in DOCUMENTS if n.endswith("_UNSTABLE_ONLY")))
def test_unstable_only_documents_really_need_unstable(
    name: str, shopify_2025_01_schema: GraphQLSchema
) -> None:
    # Keeps the suffix honest: a document that validates on 2025-01 should lose it.
    assert validate(shopify_2025_01_schema, DOCUMENTS[name]) != []


def test_filtered_bulk_query_is_valid(shopify_unstable_schema: GraphQLSchema) -> None:
    text = bulk_query_text("2026-01-02T03:04:05Z")
    assert "updated_at:>='2026-01-02T03:04:05Z'" in text
    assert validate(shopify_unstable_schema, parse(text)) == []


def test_documents_with_arguments_take_them_as_variables() -> None:
    # Apart from the bulk query (bulk queries have no variables) every document that passes
    # values declares variables.
    for name, document in DOCUMENTS.items():
        if name in {"SHOP_QUERY", "BULK_PRODUCTS_QUERY", "BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY"}:
            continue
        operation = document.definitions[0]
        assert getattr(operation, "variable_definitions", ()), name
