"""Paged product reads: pagination, incremental filter, MAX_COST_EXCEEDED, truncated children."""

from typing import Any

import pytest
from aiohttp import web

from sync.shopify.cost import LIST_NESTED, default_page_size, products_page_cost
from sync.shopify.product_reads import updated_since_query
from tests.helpers.scripted_shopify import FakeClock, ScriptedShopify, cost, make_client
from tests.helpers.shopify_nodes import page, product_node, variant_node


def json_response(body: dict[str, Any]) -> web.Response:
    return web.json_response(body)


def test_default_page_size_keeps_estimate_under_limit() -> None:
    size = default_page_size(LIST_NESTED)
    assert size >= 5
    assert products_page_cost(size, LIST_NESTED) <= 1000
    assert products_page_cost(size + 1, LIST_NESTED) > 900


def test_updated_since_query_normalises_and_rejects_garbage() -> None:
    assert updated_since_query("2026-01-02T03:04:05Z") == "updated_at:>='2026-01-02T03:04:05Z'"
    assert updated_since_query("2026-01-02T03:04:05+00:00") == "updated_at:>='2026-01-02T03:04:05Z'"
    with pytest.raises(ValueError):
        updated_since_query("2026-01-02' OR title:*")
    with pytest.raises(ValueError):
        updated_since_query("2026-01-02T03:04:05")  # no offset


async def test_pages_follow_cursor_and_pass_filter(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    products = [product_node(i) for i in range(5)]

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        v = body["variables"]
        start = int(v["after"] or 0)
        chunk = products[start : start + v["first"]]
        end = start + len(chunk)
        return json_response(
            {
                "data": {"products": page(chunk, has_next=end < len(products), cursor=str(end))},
                "extensions": cost(100, 50, 1900),
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        ids = [p["id"] async for p in client.iter_products("2026-01-01T00:00:00Z", page_size=2)]
    assert ids == [f"gid://shopify/Product/{i}" for i in range(5)]
    assert [r.variables["after"] for r in shopify.received] == [None, "2", "4"]
    assert {r.variables["query"] for r in shopify.received} == {
        "updated_at:>='2026-01-01T00:00:00Z'"
    }
    assert {r.operation for r in shopify.received} == {"SigmaProductsPage"}
    assert client.stats.requested_cost == 300
    assert client.stats.actual_cost == 150


async def test_max_cost_exceeded_halves_the_page(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        first = body["variables"]["first"]
        if first > 4:
            return json_response(
                {
                    "errors": [
                        {
                            "message": f"Query cost is {first * 300}, which exceeds the single "
                            "query max cost limit (1000).",
                            "extensions": {
                                "code": "MAX_COST_EXCEEDED",
                                "cost": first * 300,
                                "maxCost": 1000,
                            },
                        }
                    ]
                }
            )
        return json_response({"data": {"products": page([product_node(1)])}})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        records = [p async for p in client.iter_products(page_size=16)]
    assert len(records) == 1
    assert [r.variables["first"] for r in shopify.received] == [16, 8, 4]


async def test_truncated_variants_fetched_by_follow_up(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    first_page = product_node(9, variants=2, variants_next="c2")

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if "SigmaProductVariantsPage" in body["query"]:
            assert body["variables"] == {
                "id": "gid://shopify/Product/9",
                "first": 250,
                "after": "c2",
            }
            rest = [variant_node(9, n) for n in range(2, 5)]
            return json_response({"data": {"product": {"variants": page(rest)}}})
        return json_response({"data": {"products": page([first_page])}})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        [record] = [p async for p in client.iter_products()]
    assert [v["sku"] for v in record["variants"]] == [f"SKU-9-{n}" for n in range(5)]
    assert shopify.operations() == ["SigmaProductsPage", "SigmaProductVariantsPage"]


async def test_product_by_custom_id(shopify: ScriptedShopify, clock: FakeClock) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        value = body["variables"]["identifier"]["customId"]["value"]
        found = product_node(4) if value == "entity-4" else None
        return json_response({"data": {"productByIdentifier": found}})

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        found = await client.product_by_custom_id("entity-4")
        missing = await client.product_by_custom_id("nope")
    assert found is not None and found["id"] == "gid://shopify/Product/4"
    assert missing is None
    assert shopify.received[0].variables["identifier"] == {
        "customId": {"namespace": "sigma", "key": "entity_id", "value": "entity-4"}
    }
