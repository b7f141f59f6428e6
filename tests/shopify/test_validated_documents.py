"""Documents validated ahead of time are sent without parsing Shopify's schema; any other
document is still validated against the parsed schema before it is sent."""

import pytest
from gql import GraphQLRequest
from graphql import GraphQLSchema, parse

from sync.shopify import documents, gql_client
from sync.shopify.admin_schema import admin_schema, schema_choice
from sync.shopify.errors import ShopifyInvalidDocument
from sync.shopify.gql_client import ShopifyGQLClient
from sync.shopify.validated_documents import known_valid
from sync.shopify.validated_manifest import build_manifest, manifest_path
from tests.helpers.scripted_shopify import (
    SHOP_ANSWER,
    FakeClock,
    ScriptedShopify,
    make_client,
    reply,
)


def test_the_shipped_manifest_is_what_the_documents_and_schemas_give_today() -> None:
    # A changed document or schema file: run `python -m sync.shopify.validated_manifest`.
    assert manifest_path().read_text() == build_manifest()


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    parsed: list[str] = []

    def refuse(choice: object) -> GraphQLSchema:
        parsed.append(str(choice))
        raise AssertionError("the schema was parsed")

    monkeypatch.setattr(gql_client, "parsed_schema", refuse)
    return parsed


async def test_a_validated_document_is_sent_without_parsing_the_schema(
    shopify: ScriptedShopify, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsed = _no_parsing(monkeypatch)
    shopify.fallback = reply(SHOP_ANSWER)
    async with make_client(shopify.base_url, clock, api_version="2026-10") as client:
        info = await client.shop()
    assert info.name == "Sigma Test"
    assert shopify.operations() == ["SigmaShop"]
    assert parsed == []


def test_a_document_is_known_only_for_the_schemas_it_validated_against() -> None:
    identifier_upsert = documents.PRODUCT_SET_MUTATION_UNSTABLE_ONLY  # 2025-04+
    assert known_valid(schema_choice("2026-10"), identifier_upsert)
    assert known_valid(schema_choice("2025-10"), identifier_upsert)
    assert not known_valid(schema_choice("2025-01"), identifier_upsert)
    # 2026-01's bulkOperations query is listed only for the schema with the 2026-01 additions
    assert known_valid(schema_choice("2026-01"), documents.BULK_OPERATIONS_QUERY_2026_01_ONLY)
    assert not known_valid(schema_choice("2025-10"), documents.BULK_OPERATIONS_QUERY_2026_01_ONLY)


def test_any_other_document_is_validated_against_the_parsed_schema() -> None:
    client = ShopifyGQLClient(transport=None, api_version="2026-10")  # type: ignore[arg-type]
    edited = parse("query SigmaShop { shop { name nameThatIsNotThere } }")
    assert not known_valid(schema_choice("2026-10"), edited)
    with pytest.raises(ShopifyInvalidDocument) as caught:
        client.validate(GraphQLRequest(edited))
    assert any("nameThatIsNotThere" in problem for problem in caught.value.problems)
    assert client.parsed_schema() is admin_schema("2026-10")
    client.validate(GraphQLRequest(parse("query Other { shop { name } }")))  # valid: passes
