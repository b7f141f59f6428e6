"""An existing catalog: the first sync links a merchant's store (the emulator's seeded
merchant store: variants, stock, other apps' metafields, uploaded images), then pushes, a pull
and a sync keep everything the channel does not own, and every PIM edit reaches Shopify."""

from typing import Any

import pytest

from emulator.merchant_seed import store_counts
from sync.run import BulkMode, RunOptions
from tests.helpers.stack import Stack, stack

LINKING_MAPPINGS = [
    {"attribute": "name", "field": "title"},
    {"attribute": "sku", "field": "variant.sku"},
    {"attribute": "price", "field": "variant.price"},
    {"attribute": "images", "field": "images"},
    {"attribute": "tags", "field": "tags"},
    {"attribute": "vendor", "field": "metafield.custom.brand"},
]
OWNED = {("custom", "brand"), ("sigma", "entity_id")}
MERCHANT_IMG = "https://merchant.example.com/img"


def _store_snapshot(s: Stack) -> dict[int, Any]:
    """Per product: unowned metafields (product's and variants'), variant ids with stock."""
    snapshot: dict[int, Any] = {}
    for product in s.emulator.store.products.values():
        metafields = {
            ("product", m.namespace, m.key): (m.type, m.value)
            for m in product.metafields
            if (m.namespace, m.key) not in OWNED
        }
        for variant in product.variants:
            metafields.update(
                {(variant.id, m.namespace, m.key): (m.type, m.value) for m in variant.metafields}
            )
        snapshot[product.id] = {
            "metafields": metafields,
            "variants": {v.id: (v.inventory_item_id, dict(v.stock)) for v in product.variants},
        }
    return snapshot


def _unchanged(before: dict[int, Any], after: dict[int, Any]) -> list[str]:
    """What the channel must not have touched and did: a list of differences."""
    problems = []
    for product_id, owned in before.items():
        now = after.get(product_id)
        if now is None:
            problems.append(f"product {product_id} is gone")
            continue
        if now["metafields"] != owned["metafields"]:
            problems.append(f"product {product_id} metafields changed")
        for variant_id, state in owned["variants"].items():
            if now["variants"].get(variant_id) != state:
                problems.append(f"product {product_id} variant {variant_id} changed")
    return problems


def _distinct_images(s: Stack) -> int:
    return len({m.url for p in s.emulator.store.products.values() for m in p.media})


def _no_duplicate_products(s: Stack) -> None:
    skus = [v.sku for p in s.emulator.store.products.values() for v in p.variants if v.sku]
    assert len(skus) == len(set(skus)), sorted(skus)
    identities = [
        m.value
        for p in s.emulator.store.products.values()
        for m in p.metafields
        if (m.namespace, m.key) == ("sigma", "entity_id")
    ]
    assert len(identities) == len(set(identities))


@pytest.mark.parametrize("bulk", [BulkMode.NEVER, BulkMode.ALWAYS])
async def test_an_existing_catalog_is_linked_and_kept_through_pushes_a_pull_and_syncs(
    database_url: str, bulk: BulkMode
) -> None:
    async with stack(
        database_url, runner={"options": RunOptions(bulk=bulk)}, merchant_store=True
    ) as s:
        await s.set_channel(fieldMappings=LINKING_MAPPINGS)
        seeded = s.emulator.merchant
        assert seeded is not None
        shirt_id, scarf_id, tote_id = (
            seeded.linked[t] for t in ("Linen Shirt", "Wool Scarf", "Canvas Tote")
        )
        # The PIM knows three of the store's items by SKU (their images are the merchant's
        # uploads), and one the store does not sell yet.
        shirt = await s.create_entity(
            name="Linen Shirt", sku="LS-001", price="49.00", tags=["summer"],
            images=[f"{MERCHANT_IMG}/linen-shirt-0.jpg", f"{MERCHANT_IMG}/linen-shirt-1.jpg"],
        )  # fmt: skip
        scarf = await s.create_entity(name="Wool Scarf", sku="WS-002", price="29.00")
        tote = await s.create_entity(
            name="Canvas Tote", sku="CT-003", price="19.50",
            images=[f"{MERCHANT_IMG}/canvas-tote-0.jpg", f"{MERCHANT_IMG}/canvas-tote-1.jpg"],
        )  # fmt: skip
        await s.create_entity(
            name="Travel Mug",
            sku="TM-009",
            price="14.00",
            images=["https://pim.example.com/tm.jpg"],
        )
        counts_before = store_counts(s.emulator.store)
        before = _store_snapshot(s)
        print(f"\n[{bulk.value}] store before: {counts_before}")

        first = (await s.run("sync"))["syncLog"]
        assert first["status"] == "SUCCESS", first
        linking = first["details"]["linking"]
        # linked: shirt, scarf, tote; created: the travel mug in Shopify and one entity per
        # product the PIM did not know (the belt and the candles)
        assert linking["linked"] == 3 and linking["ambiguous"] == 0, linking
        assert linking["created"] == 1 + 1 + len(seeded.unrelated), linking
        products = s.emulator.store.products
        assert len(products) == counts_before["products"] + 1
        for entity_id, product_id in ((shirt, shirt_id), (scarf, scarf_id), (tote, tote_id)):
            identity = products[product_id].metafield("sigma", "entity_id")
            assert identity is not None and identity.value == entity_id

        # 1: prices change; 2: an image is added, another list reordered;
        # 3: titles, tags and the mapped metafield change
        await s.update_entity(shirt, price="45.00")
        await s.update_entity(scarf, price="31.00")
        one = (await s.run("push"))["syncLog"]
        await s.update_entity(
            shirt,
            images=[
                f"{MERCHANT_IMG}/linen-shirt-1.jpg",
                f"{MERCHANT_IMG}/linen-shirt-0.jpg",
                "https://pim.example.com/linen-shirt-back.jpg",
            ],
        )
        await s.update_entity(
            tote,
            images=[f"{MERCHANT_IMG}/canvas-tote-1.jpg", f"{MERCHANT_IMG}/canvas-tote-0.jpg"],
        )
        two = (await s.run("push"))["syncLog"]
        await s.update_entity(shirt, name="Linen Shirt (2026)", tags=["summer", "linen"])
        await s.update_entity(tote, vendor="Tote & Co")
        three = (await s.run("push"))["syncLog"]
        for log, pushed in ((one, 2), (two, 2), (three, 2)):
            assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", pushed, 0), log

        # The merchant renames a product the PIM learnt from the store; a pull brings it in.
        candle = seeded.unrelated[0]
        await s.rename_in_shopify(f"gid://shopify/Product/{candle}", "Merchant Candle (large)")
        pulled = (await s.run("pull"))["syncLog"]
        assert (pulled["status"], pulled["pulled"], pulled["failed"]) == ("SUCCESS", 1, 0), pulled
        assert "Merchant Candle (large)" in [e["attributes"]["name"] for e in await s.entities()]
        last = (await s.run("sync"))["syncLog"]
        assert (last["status"], last["pushed"], last["failed"]) == ("SUCCESS", 0, 0), last

        counts_after = store_counts(s.emulator.store)
        print(f"[{bulk.value}] store after:  {counts_after}")
        assert counts_after["products"] == counts_before["products"] + 1
        _no_duplicate_products(s)
        assert _unchanged(before, _store_snapshot(s)) == []
        assert counts_after["files"] == _distinct_images(s)

        # Every PIM edit is in Shopify.
        shirt_product, scarf_product, tote_product = (
            products[i] for i in (shirt_id, scarf_id, tote_id)
        )
        assert shirt_product.title == "Linen Shirt (2026)"
        assert sorted(shirt_product.tags) == ["linen", "summer"]
        main = next(v for v in shirt_product.variants if v.sku == "LS-001")
        assert main.price == "45.00"
        assert next(v for v in scarf_product.variants if v.sku == "WS-002").price == "31.00"
        assert [m.url for m in shirt_product.media] == [
            f"{MERCHANT_IMG}/linen-shirt-1.jpg",
            f"{MERCHANT_IMG}/linen-shirt-0.jpg",
            "https://pim.example.com/linen-shirt-back.jpg",
        ]
        assert [m.url for m in tote_product.media] == [
            f"{MERCHANT_IMG}/canvas-tote-1.jpg",
            f"{MERCHANT_IMG}/canvas-tote-0.jpg",
        ]
        brand = tote_product.metafield("custom", "brand")
        assert brand is not None and brand.value == "Tote & Co"
