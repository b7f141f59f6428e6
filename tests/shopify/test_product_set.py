"""productSet results, userErrors as data, the identity metafield definition, concurrency."""

import asyncio
from typing import Any

import pytest
from aiohttp import web

from sync.shopify import ShopifyGraphQLError, identity_identifier
from tests.helpers.scripted_shopify import FakeClock, Received, ScriptedShopify, cost, make_client
from tests.helpers.shopify_nodes import product_node

INPUT = {
    "title": "Product 5",
    "productOptions": [{"name": "Size", "values": [{"name": "S0"}]}],
    "variants": [{"optionValues": [{"optionName": "Size", "name": "S0"}], "price": "0.50"}],
    "metafields": [
        {"namespace": "sigma", "key": "entity_id", "type": "single_line_text_field", "value": "e5"}
    ],
}


async def test_product_set_returns_record(shopify: ScriptedShopify, clock: FakeClock) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if Received({}, body).operation == "SigmaProduct":
            data: dict[str, Any] = {"product": product_node(5)}
        else:
            data = {"productSet": {"product": {"id": "gid://shopify/Product/5"}, "userErrors": []}}
        return web.json_response({"data": data, "extensions": cost(15, 12, 1988)})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        result = await client.product_set(INPUT, identity_identifier("e5"))
    assert result.ok
    assert result.product is not None and result.product["title"] == "Product 5"
    assert result.product_id == "gid://shopify/Product/5"
    sent, read = shopify.received
    assert sent.operation == "SigmaProductSet"
    assert sent.variables["identifier"] == identity_identifier("e5")
    # the return selection is fixed: no nested page sizes follow the input's size
    assert sent.variables == {"identifier": identity_identifier("e5"), "input": INPUT}
    assert read.operation == "SigmaProduct"
    assert read.variables["id"] == "gid://shopify/Product/5"


async def test_product_set_without_read_sends_one_request(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        data = {"productSet": {"product": {"id": "gid://shopify/Product/5"}, "userErrors": []}}
        return web.json_response({"data": data})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        result = await client.product_set(INPUT, identity_identifier("e5"), read=False)
    assert result.ok and result.product is None
    assert result.product_id == "gid://shopify/Product/5"
    assert [r.operation for r in shopify.received] == ["SigmaProductSet"]


async def test_metafields_set_sends_at_most_25_per_call(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        return web.json_response({"data": {"metafieldsSet": {"metafields": [], "userErrors": []}}})

    shopify.fallback = fallback
    entries = [
        {"namespace": "custom", "key": f"k{i}", "type": "single_line_text_field", "value": str(i)}
        for i in range(30)
    ]
    async with make_client(shopify.base_url, clock) as client:
        assert await client.metafields_set("gid://shopify/Product/5", entries) == []
    sizes = [len(r.variables["metafields"]) for r in shopify.received]
    assert sizes == [25, 5]
    first = shopify.received[0].variables["metafields"][0]
    assert first == {"ownerId": "gid://shopify/Product/5", **entries[0]}


async def test_metafields_delete_and_variant_update_requests(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if Received({}, body).operation == "SigmaMetafieldsDelete":
            data: dict[str, Any] = {"metafieldsDelete": {"deletedMetafields": [], "userErrors": []}}
        else:
            error = {"field": ["variants", "0", "price"], "message": "bad", "code": "INVALID"}
            data = {"productVariantsBulkUpdate": {"productVariants": [], "userErrors": [error]}}
        return web.json_response({"data": data})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        assert await client.metafields_delete("gid://shopify/Product/5", [("custom", "a")]) == []
        errors = await client.update_variants(
            "gid://shopify/Product/5", [{"id": "gid://shopify/ProductVariant/7", "price": "x"}]
        )
    assert [e.code for e in errors] == ["INVALID"]
    deleted, updated = shopify.received
    assert deleted.variables == {
        "metafields": [{"ownerId": "gid://shopify/Product/5", "namespace": "custom", "key": "a"}]
    }
    assert updated.variables["productId"] == "gid://shopify/Product/5"


async def test_product_set_without_identifier_uses_input_form(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        return web.json_response(
            {"data": {"productSet": {"product": product_node(5), "userErrors": []}}}
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        await client.product_set({**INPUT, "id": "gid://shopify/Product/5"})
    assert shopify.received[0].operation == "SigmaProductSetByInput"
    assert "identifier" not in shopify.received[0].variables


async def test_product_set_user_errors_are_data(shopify: ScriptedShopify, clock: FakeClock) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        return web.json_response(
            {
                "data": {
                    "productSet": {
                        "product": None,
                        "userErrors": [
                            {
                                "field": ["input", "variants", "0", "price"],
                                "message": "Price is invalid",
                                "code": "INVALID_VARIANT",
                            }
                        ],
                    }
                }
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        result = await client.product_set(INPUT, identity_identifier("e5"))
    assert not result.ok
    assert result.product is None
    assert [str(e) for e in result.user_errors] == [
        "input.variants.0.price: Price is invalid (INVALID_VARIANT)"
    ]


async def test_identity_definition_created(shopify: ScriptedShopify, clock: FakeClock) -> None:
    # TAKEN and the unusable definitions: tests/shopify/test_identity_definition.py
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        created = {"id": "gid://shopify/MetafieldDefinition/1"}
        return web.json_response(
            {
                "data": {
                    "metafieldDefinitionCreate": {"createdDefinition": created, "userErrors": []}
                }
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        assert await client.ensure_identity_definition() is True
    definition = shopify.received[0].variables["definition"]
    assert definition["namespace"] == "sigma" and definition["key"] == "entity_id"
    assert definition["ownerType"] == "PRODUCT"
    assert definition["type"] == "single_line_text_field"
    assert definition["capabilities"] == {"uniqueValues": {"enabled": True}}


async def test_identity_definition_other_error_raises(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        return web.json_response(
            {
                "data": {
                    "metafieldDefinitionCreate": {
                        "createdDefinition": None,
                        "userErrors": [
                            {"field": None, "message": "Limit reached", "code": "LIMIT_EXCEEDED"}
                        ],
                    }
                }
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyGraphQLError, match="Limit reached"):
            await client.ensure_identity_definition()


async def test_concurrent_product_sets_share_one_session_and_the_bucket(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    in_flight = 0
    peak = 0
    available = 2000.0

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        nonlocal in_flight, peak, available
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.02)
        in_flight -= 1
        available -= 15
        return web.json_response(
            {
                "data": {"productSet": {"product": product_node(5), "userErrors": []}},
                "extensions": cost(15, 15, available),
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        results = await asyncio.gather(
            *(
                client.product_set(INPUT, identity_identifier(f"e{i}"), read=False)
                for i in range(12)
            )
        )
    assert all(r.ok for r in results)
    assert peak > 1, "requests should overlap once the bucket is known"
    assert client.stats.requests == 12
    assert client.stats.actual_cost == 180


async def test_keyless_create_is_not_resent_after_a_lost_reply(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    from sync.shopify import ShopifyUnavailable
    from tests.helpers.scripted_shopify import drop

    shopify.script = [drop()]
    shopify.fallback = None
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.product_set({"title": "New"})  # no identifier, no id: a create
    assert caught.value.reason == "dropped"
    assert len(shopify.received) == 1, "a resend could create a duplicate product"


async def test_keyed_upsert_is_resent_after_a_lost_reply(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    from tests.helpers.scripted_shopify import drop, reply

    shopify.script = [
        drop(),
        reply({"data": {"productSet": {"product": product_node(5), "userErrors": []}}}),
    ]
    async with make_client(shopify.base_url, clock) as client:
        result = await client.product_set(INPUT, identity_identifier("e5"), read=False)
    assert result.ok
    assert len(shopify.received) == 2
