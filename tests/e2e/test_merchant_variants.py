"""A variant the merchant adds in Shopify beside the PIM's single variant: later pulls, syncs
and pushes keep the PIM's SKU and price, and never touch the merchant's variant."""

from typing import Any

import pytest

from tests.helpers.merchant_store import VARIANTS_CREATE
from tests.helpers.stack import Stack, stack

# A single-variant catalog: the channel writes one variant's SKU and price, not a variant list.
MAPPINGS = [
    {"attribute": "name", "field": "title"},
    {"attribute": "sku", "field": "variant.sku"},
    {"attribute": "price", "field": "variant.price"},
]


async def _pushed_mug(s: Stack) -> tuple[str, str]:
    await s.set_channel(fieldMappings=MAPPINGS)
    mug = await s.create_entity(name="Mug", sku="MUG-1", price="10.00")
    assert (await s.run("push"))["syncLog"]["pushed"] == 1
    mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
    return mug, str(mappings[0]["externalId"])


async def _add_gift_box(s: Stack, product_id: str) -> None:
    body = await s.shopify(
        VARIANTS_CREATE,
        {
            "p": product_id,
            "v": [
                {
                    "optionValues": [{"optionName": "Title", "name": "Gift box"}],
                    "price": "15.00",
                    "inventoryItem": {"sku": "MUG-GIFT"},
                }
            ],
        },
    )
    assert body["data"]["productVariantsBulkCreate"]["userErrors"] == [], body


def _variants(s: Stack) -> list[tuple[Any, ...]]:
    [product] = s.emulator.store.products.values()
    return [(v.id, v.sku, v.price) for v in product.variants]


@pytest.mark.parametrize("kind", ["pull", "sync"])
async def test_the_pims_variant_fields_survive_a_merchants_variant_and_edit(
    database_url: str, kind: str
) -> None:
    async with stack(database_url) as s:
        mug, product_id = await _pushed_mug(s)
        await _add_gift_box(s, product_id)
        await s.rename_in_shopify(product_id, "Big mug")

        log = (await s.run(kind))["syncLog"]
        assert (log["status"], log["pulled"], log["failed"]) == ("SUCCESS", 1, 0), log
        pulled = await s.entity(mug)
        assert (pulled["name"], pulled["sku"], pulled["price"]) == ("Big mug", "MUG-1", "10.00")

        # nothing changed since: no write either way
        quiet = (await s.run("sync"))["syncLog"]
        assert (quiet["pushed"], quiet["pulled"]) == (0, 0), quiet

        # a PIM price change goes to the PIM's variant only
        gift = [v for v in _variants(s) if v[1] == "MUG-GIFT"]
        await s.update_entity(mug, price="11.00")
        pushed = (await s.run("push"))["syncLog"]
        assert (pushed["status"], pushed["pushed"]) == ("SUCCESS", 1), pushed
        assert sorted(v[1:] for v in _variants(s)) == [("MUG-1", "11.00"), ("MUG-GIFT", "15.00")]
        assert [v for v in _variants(s) if v[1] == "MUG-GIFT"] == gift
