"""The merchant-store seed, read over HTTP like a connected app would, and what a careless
productSet does to it (so the engine's tests can catch that)."""

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from emulator.cli import parse_args
from emulator.merchant_seed import OTHER_APP_NAMESPACE, PimItem, seed_merchant_store, store_counts
from emulator.runner import Emulator, build_state, run_emulator
from tests.helpers.emulator_calls import TOKEN, Call, make_call, product_set

ITEMS: list[PimItem | dict[str, str]] = [
    PimItem("Linen Shirt", "LS-001", "linen-shirt", "4006381333931", "49.00"),
    {"title": "Wool Scarf", "sku": "WS-002", "barcode": "4006381333948"},
]
FIND = """
query($q: String) {
  products(first: 3, query: $q) { nodes {
    id handle
    metafields(first: 20) { nodes { namespace key type value } }
    media(first: 5) { nodes { ... on MediaImage { status image { url } } } }
    variants(first: 4) { nodes {
      id sku barcode inventoryQuantity metafields(first: 5) { nodes { namespace key } } } }
  } }
}
"""


@pytest.fixture
async def merchant() -> AsyncIterator[Emulator]:
    async with run_emulator(
        token=TOKEN, bucket=1e6, restore_rate=1e5, media_delay=0, merchant_store=ITEMS
    ) as running:
        yield running


@pytest.fixture
def mgql(merchant: Emulator, session: aiohttp.ClientSession) -> Call:
    return make_call(merchant, session)


async def _find(gql: Call, query: str) -> list[dict[str, Any]]:
    _, body = await gql(FIND, {"q": query})
    nodes: list[dict[str, Any]] = body["data"]["products"]["nodes"]
    return nodes


async def test_seeded_products_match_the_pim_items_and_carry_other_owners_data(
    merchant: Emulator, mgql: Call
) -> None:
    [shirt] = await _find(mgql, 'sku:"LS-001"')
    assert shirt["handle"] == "linen-shirt"
    keys = {f"{m['namespace']}.{m['key']}" for m in shirt["metafields"]["nodes"]}
    assert keys == {
        "custom.material",
        "custom.care",
        "reviews.rating",
        "smart_seo.keywords",
        f"{OTHER_APP_NAMESPACE}.summary",
    }
    assert not any(m["namespace"] == "sigma" for m in shirt["metafields"]["nodes"])
    assert [m["status"] for m in shirt["media"]["nodes"]] == ["READY", "READY"]
    assert all(m["image"]["url"] for m in shirt["media"]["nodes"])
    variants = shirt["variants"]["nodes"]
    assert [(v["sku"], v["inventoryQuantity"]) for v in variants] == [
        ("LS-001", 12),
        ("LS-001-GIFT", 4),  # the merchant's own variant, with stock
    ]
    assert variants[0]["barcode"] == "4006381333931"
    assert merchant.merchant is not None
    assert merchant.merchant.merchant_variants == [int(variants[1]["id"].rsplit("/", 1)[1])]
    [scarf] = await _find(mgql, "barcode:4006381333948")
    assert [v["sku"] for v in scarf["variants"]["nodes"]] == ["WS-002"]
    assert len(await _find(mgql, "sku:CANDLE-001")) == 1  # an unrelated product
    assert store_counts(merchant.store) == {
        "products": 5,
        "variants": 6,
        "files": 10,
        "metafields": 5 * 5 + 5 + 1,  # 5 per product, custom.fabric per main variant, wrap colour
    }


async def test_a_careless_product_set_destroys_what_the_merchant_had(
    merchant: Emulator, mgql: Call
) -> None:
    """List replacement as Shopify documents it: what the engine must never send."""
    [shirt] = await _find(mgql, 'sku:"LS-001"')
    ours = [{"namespace": "sigma", "key": "entity_id", "type": "single_line_text_field"}]
    careless = {
        "metafields": [{**ours[0], "value": "E1"}],
        "files": [{"originalSource": "https://pim.example.com/shirt.jpg"}],
        "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [
            {
                "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                "sku": "LS-001",
                "price": "49.00",
            }
        ],
    }
    result = await product_set(mgql, careless, {"id": shirt["id"]})
    assert result["userErrors"] == []
    [after] = await _find(mgql, 'sku:"LS-001"')
    assert [f"{m['namespace']}.{m['key']}" for m in after["metafields"]["nodes"]] == [
        "sigma.entity_id"
    ]
    [variant] = after["variants"]["nodes"]
    assert variant["id"] not in {v["id"] for v in shirt["variants"]["nodes"]}
    assert variant["inventoryQuantity"] == 0  # stock reset, the gift-wrap variant gone
    assert merchant.store.file_count() == 11  # the old images stay in the library


async def test_duplicate_skus_make_an_ambiguous_match(session: aiohttp.ClientSession) -> None:
    state = build_state(
        shop="d.myshopify.com",
        token=TOKEN,
        products=0,
        bucket=1e6,
        restore_rate=1e5,
        seed=1,
        faults=None,
        merchant_store=True,
    )
    assert state.merchant is not None and len(state.merchant.linked) == 4
    counts = store_counts(state.store)
    assert counts["products"] == 7 and counts["files"] == 14
    extra = seed_merchant_store(state.store, [], unrelated=0, duplicate_skus=["LS-001"])
    holders = [
        p for p in state.store.products.values() if any(v.sku == "LS-001" for v in p.variants)
    ]
    assert len(holders) == 2 and holders[1].id == extra.duplicates[0]


def test_cli_flag() -> None:
    assert parse_args(["--merchant-store"]).merchant_store is True
    assert parse_args([]).merchant_store is False
