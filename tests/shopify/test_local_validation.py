"""gql validates every document against the channel version's schema before anything is sent."""

import pytest
from gql.transport.aiohttp import AIOHTTPTransport

from sync.identity import identity_identifier
from sync.shopify import ShopifyClient
from sync.shopify.admin_schema import admin_schema, load_schema_file, schema_file_for
from sync.shopify.errors import ShopifyInvalidDocument
from sync.shopify.gql_client import ShopifyGQLClient
from tests.helpers.scripted_shopify import FakeClock, ScriptedShopify, cost, make_client, reply

PRODUCT_SET_ANSWER = {
    "data": {"productSet": {"product": None, "userErrors": []}},
    "extensions": cost(10, 10, 1990),
}


async def test_document_invalid_for_the_channel_version_is_never_sent(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    # productSet(identifier:) arrived in 2025-04: Shopify 2025-01 would refuse the upsert.
    shopify.fallback = reply(PRODUCT_SET_ANSWER)
    async with make_client(shopify.base_url, clock, api_version="2025-01") as client:
        with pytest.raises(ShopifyInvalidDocument) as caught:
            await client.product_set({"title": "Mug"}, identifier=identity_identifier("e1"))
        assert client.stats.requests == 0
    assert shopify.received == []
    assert caught.value.api_version == "2025-01"
    assert caught.value.operation == "SigmaProductSet"
    assert any("identifier" in problem for problem in caught.value.problems)
    assert "not sent" in str(caught.value)


async def test_the_same_document_is_sent_on_a_version_that_has_it(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.fallback = reply(PRODUCT_SET_ANSWER)
    async with make_client(shopify.base_url, clock, api_version="2025-04") as client:
        result = await client.product_set({"title": "Mug"}, identifier=identity_identifier("e1"))
    assert result.user_errors == []
    assert shopify.operations() == ["SigmaProductSet"]
    assert shopify.received[0].variables["identifier"] == identity_identifier("e1")


async def test_requests_go_through_a_gql_client_session(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    client = make_client(shopify.base_url, clock, api_version="2026-01")
    async with client:
        gql_client = client._gql
        assert isinstance(gql_client, ShopifyGQLClient)
        assert isinstance(gql_client.transport, AIOHTTPTransport)
        assert gql_client.parsed_schema() is admin_schema("2026-01")


def test_each_schema_file_is_parsed_once_per_process() -> None:
    file = schema_file_for("2026-01")
    assert load_schema_file(file) is load_schema_file(file) is admin_schema("2025-10")
    # 2026-01 and later: that file plus the documented 2026-01 additions, also built once.
    assert admin_schema("2026-01") is admin_schema("unstable") is not load_schema_file(file)
    assert "bulkOperations" in admin_schema("2026-10").query_type.fields  # type: ignore[union-attr]
    assert "bulkOperations" not in admin_schema("2025-10").query_type.fields  # type: ignore[union-attr]


def test_client_refuses_to_run_outside_its_context() -> None:
    client = ShopifyClient(make_client("http://127.0.0.1:1", FakeClock()).config)
    with pytest.raises(RuntimeError):
        _ = client.transport
