"""A push touches only what its channel owns, on a store that looks like a merchant's.

Over HTTP against the emulator: after a first sync the merchant adds other apps' metafields, a
variant with stock and stock on our variants; then three pushes with edits, a pull and another
sync. Every unmapped metafield, every variant id and its stock stay; no image is uploaded twice;
every PIM edit reaches Shopify. The same through the bulk path.
"""

from typing import Any

import pytest

from emulator.models import Product
from sync.run import BulkMode, RunOptions
from tests.helpers.stack import Stack, stack

MAPPINGS = [
    {"attribute": "name", "field": "title"},
    {"attribute": "sku", "field": "variant.sku"},
    {"attribute": "price", "field": "variant.price"},
    {"attribute": "variants", "field": "variants"},
    {"attribute": "images", "field": "images"},
    {"attribute": "tags", "field": "tags"},
    # a mapped metafield: the channel owns custom.brand and nothing else of the metafields
    {"attribute": "vendor", "field": "metafield.custom.brand"},
]
IMG = "https://img.example.com/pim"

METAFIELDS_SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id } userErrors { field message code } } }"""
VARIANTS_CREATE = """mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $p, variants: $v, strategy: PRESERVE_STANDALONE_VARIANT) {
    productVariants { id } userErrors { field message code } } }"""


def _products(s: Stack) -> dict[str, Product]:
    return {p.title: p for p in s.emulator.store.products.values()}


def _gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


async def _merchant_edits(s: Stack) -> None:
    """Other apps' and the merchant's data on both products, and stock everywhere."""
    location = s.emulator.store.locations[0]
    for product in s.emulator.store.products.values():
        owner = _gid("Product", product.id)
        body = await s.shopify(
            METAFIELDS_SET,
            {
                "m": [
                    {
                        "ownerId": owner,
                        "namespace": "reviews",
                        "key": "rating",
                        "type": "number_decimal",
                        "value": "4.5",
                    },
                    {
                        "ownerId": owner,
                        "namespace": "custom",
                        "key": "care",
                        "type": "multi_line_text_field",
                        "value": "Hand wash\ncold",
                    },
                    {
                        "ownerId": owner,
                        "namespace": "seo_app",
                        "key": "keywords",
                        "type": "list.single_line_text_field",
                        "value": '["mug","tea"]',
                    },
                ]
            },
        )
        assert body["data"]["metafieldsSet"]["userErrors"] == []
        for variant in product.variants:
            variant.stock = {location.id: 5}
    mug = _products(s)["Mug"]
    body = await s.shopify(
        VARIANTS_CREATE,
        {
            "p": _gid("Product", mug.id),
            "v": [
                {
                    "optionValues": [{"optionName": "Title", "name": "Gift box"}],
                    "price": "15.00",
                    "inventoryItem": {"sku": "MUG-GIFT"},
                    "inventoryQuantities": [
                        {"locationId": _gid("Location", location.id), "availableQuantity": 7}
                    ],
                }
            ],
        },
    )
    assert body["data"]["productVariantsBulkCreate"]["userErrors"] == [], body


def _snapshot(s: Stack) -> dict[str, Any]:
    """What the channel does not own: unmapped metafields, variant ids with their stock."""
    snapshot: dict[str, Any] = {}
    for title, product in _products(s).items():
        snapshot[title] = {
            "metafields": sorted(
                (m.namespace, m.key, m.type, m.value)
                for m in product.metafields
                if (m.namespace, m.key) != ("custom", "brand")
            ),
            "variants": {v.id: v.inventory_quantity for v in product.variants},
        }
    return snapshot


def _state(s: Stack) -> tuple[int, int, int]:
    store = s.emulator.store
    variants = sum(len(p.variants) for p in store.products.values())
    return len(store.products), variants, store.file_count()


def _brand(product: Product) -> str | None:
    found = product.metafield("custom", "brand")
    return found.value if found else None


def _sources(product: Product) -> list[str]:
    return [m.url for m in product.media]


def _assert_untouched(s: Stack, before: dict[str, Any]) -> None:
    after = _snapshot(s)
    for title, owned in before.items():
        assert after[title]["metafields"] == owned["metafields"], title
        # every variant we knew is still there with its id and its stock
        for variant_id, stock in owned["variants"].items():
            assert after[title]["variants"].get(variant_id) == stock, (title, variant_id)


@pytest.mark.parametrize("bulk", [BulkMode.NEVER, BulkMode.ALWAYS])
async def test_pushes_pull_and_sync_leave_the_merchants_data_alone(
    database_url: str, bulk: BulkMode
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=bulk)}) as s:
        await s.set_channel(fieldMappings=MAPPINGS)
        mug = await s.create_entity(
            name="Mug", sku="MUG-1", price="10.00", vendor="Acme", tags=["kitchen"],
            images=[f"{IMG}/mug-front.jpg", f"{IMG}/mug-back.jpg"],
        )  # fmt: skip
        tee = await s.create_entity(
            name="Tee",
            vendor="Acme",
            images=[f"{IMG}/tee.jpg"],
            variants=[
                {"options": {"Size": "S"}, "sku": "TEE-S", "price": "5.00"},
                {"options": {"Size": "M"}, "sku": "TEE-M", "price": "5.00"},
            ],
        )
        first = (await s.run("sync"))["syncLog"]
        assert (first["status"], first["pushed"]) == ("SUCCESS", 2), first
        assert _state(s) == (2, 3, 3)

        await _merchant_edits(s)
        before = _snapshot(s)
        counts_before = _state(s)
        assert counts_before == (2, 4, 3)

        # 1: prices change; every variant id, inventory item and stock stays
        await s.update_entity(mug, price="12.00")
        await s.update_entity(
            tee,
            variants=[
                {"options": {"Size": "S"}, "sku": "TEE-S", "price": "5.00"},
                {"options": {"Size": "M"}, "sku": "TEE-M", "price": "6.00"},
            ],
        )
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 2, 0), log
        _assert_untouched(s, before)
        assert _state(s) == counts_before
        products = _products(s)
        mug_default = products["Mug"].variants[0]
        assert (mug_default.sku, mug_default.price) == ("MUG-1", "12.00")
        assert [v.price for v in products["Tee"].variants] == ["5.00", "6.00"]

        # 2: the mapped metafield changes, an image is added, the others are reordered
        await s.update_entity(
            mug, vendor="Acme Co", images=[f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        )
        await s.update_entity(tee, images=[f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"])
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 2, 0), log
        _assert_untouched(s, before)
        products = _products(s)
        assert _brand(products["Mug"]) == "Acme Co" and _brand(products["Tee"]) == "Acme"
        assert _sources(products["Mug"]) == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert _sources(products["Tee"]) == [f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"]
        assert _state(s) == (2, 4, 4)  # one new file: the new image, nothing uploaded again

        # 3: the mapped metafield is cleared in the PIM (deleted in Shopify), a title changes
        await s.update_entity(mug, vendor=None, name="Mug XL")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 1, 0), log
        _assert_untouched(s, {"Mug XL": before["Mug"], "Tee": before["Tee"]})
        assert _brand(_products(s)["Mug XL"]) is None

        # a pull gives back sources, never Shopify CDN URLs, and changes nothing in Shopify
        log = (await s.run("pull"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        pulled = await s.entity(mug)
        assert pulled["images"] == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert (await s.entity(tee))["images"] == [f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"]
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 0, 0), log
        _assert_untouched(s, {"Mug XL": before["Mug"], "Tee": before["Tee"]})
        assert _state(s) == (2, 4, 4)
