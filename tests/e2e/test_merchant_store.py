"""A push touches only what its channel owns, on a store that looks like a merchant's.

Over HTTP against the emulator: after a first sync the merchant adds other apps' metafields, a
variant with stock and stock on our variants; then three pushes with edits, a pull and another
sync. Every unmapped metafield, every variant id and its stock stay; no image is uploaded twice;
every PIM edit reaches Shopify. The same through the bulk path.
"""

from typing import Any

import pytest

from emulator.merchant_seed import store_counts
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


async def _merchant_edits(s: Stack, add_variant: bool = True) -> None:
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
    if not add_variant:
        return
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


def _snapshot(s: Stack) -> dict[int, Any]:
    """What the channel does not own: unmapped metafields, variant ids with their stock."""
    snapshot: dict[int, Any] = {}
    for product in s.emulator.store.products.values():
        snapshot[product.id] = {
            "metafields": sorted(
                (m.namespace, m.key, m.type, m.value)
                for m in product.metafields
                # ours: the mapped metafield and the identity
                if (m.namespace, m.key) not in {("custom", "brand"), ("sigma", "entity_id")}
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


async def _create_tee(s: Stack) -> str:
    """The two-variant PIM entity both scenarios start from."""
    return await s.create_entity(
        name="Tee",
        vendor="Acme",
        images=[f"{IMG}/tee.jpg"],
        variants=[
            {"options": {"Size": "S"}, "sku": "TEE-S", "price": "5.00"},
            {"options": {"Size": "M"}, "sku": "TEE-M", "price": "5.00"},
        ],
    )


def _assert_untouched(s: Stack, before: dict[int, Any]) -> None:
    """Same products (by id), each with the same unmapped metafields and every variant it had
    still there with its id and its stock."""
    after = _snapshot(s)
    assert after.keys() == before.keys()
    for product_id, owned in before.items():
        assert after[product_id]["metafields"] == owned["metafields"], product_id
        for variant_id, stock in owned["variants"].items():
            assert after[product_id]["variants"].get(variant_id) == stock, (product_id, variant_id)


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
        tee = await _create_tee(s)
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
        _assert_untouched(s, before)
        assert _brand(_products(s)["Mug XL"]) is None

        # a pull gives back sources, never Shopify CDN URLs, and changes nothing in Shopify
        log = (await s.run("pull"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        pulled = await s.entity(mug)
        assert pulled["images"] == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert (await s.entity(tee))["images"] == [f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"]
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 0, 0), log
        _assert_untouched(s, before)
        assert _state(s) == (2, 4, 4)


# --- An existing catalog: the first sync links it, then pushes, a pull and a sync ------------

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


MERCHANT_PRODUCT = """mutation($input: ProductSetInput!) { productSet(input: $input) {
  product { id } userErrors { field message code } } }"""


async def _merchant_catalog(s: Stack) -> None:
    """The store before the channel connects: the merchant's products (no identity metafield),
    their images uploaded from the same sources the PIM holds, other apps' metafields, and a
    variant the PIM does not know, all with stock."""
    products = [
        {
            "title": "Mug (store)",
            "productOptions": [
                {"name": "Style", "values": [{"name": "Classic"}, {"name": "Gift box"}]}
            ],
            "variants": [
                {
                    "optionValues": [{"optionName": "Style", "name": "Classic"}],
                    "sku": "MUG-1",
                    "price": "9.00",
                },
                {
                    "optionValues": [{"optionName": "Style", "name": "Gift box"}],
                    "sku": "MUG-GIFT",
                    "price": "15.00",
                },
            ],
            "files": [
                {"originalSource": f"{IMG}/mug-front.jpg", "contentType": "IMAGE"},
                {"originalSource": f"{IMG}/mug-back.jpg", "contentType": "IMAGE"},
            ],
        },
        {
            "title": "Tee (store)",
            "productOptions": [{"name": "Size", "values": [{"name": "S"}, {"name": "M"}]}],
            "variants": [
                {"optionValues": [{"optionName": "Size", "name": "S"}], "sku": "TEE-S"},
                {"optionValues": [{"optionName": "Size", "name": "M"}], "sku": "TEE-M"},
            ],
            "files": [{"originalSource": f"{IMG}/tee.jpg", "contentType": "IMAGE"}],
        },
    ]
    for product in products:
        body = await s.shopify(MERCHANT_PRODUCT, {"input": product})
        assert body["data"]["productSet"]["userErrors"] == [], body
    # uploaded long before the channel connects: processed (READY) by now
    s.emulator.store.clock.advance(3600)
    await _merchant_edits(s, add_variant=False)


@pytest.mark.parametrize("bulk", [BulkMode.NEVER, BulkMode.ALWAYS])
async def test_an_existing_catalog_is_linked_and_keeps_the_merchants_data(
    database_url: str, bulk: BulkMode
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=bulk)}) as s:
        await s.set_channel(fieldMappings=MAPPINGS)
        await _merchant_catalog(s)
        before = _snapshot(s)
        counts = _state(s)
        assert counts == (2, 4, 3)
        mug = await s.create_entity(
            name="Mug", sku="MUG-1", price="10.00", vendor="Acme",
            images=[f"{IMG}/mug-front.jpg", f"{IMG}/mug-back.jpg"],
        )  # fmt: skip
        tee = await _create_tee(s)
        first = (await s.run("sync"))["syncLog"]
        assert (first["status"], first["pushed"], first["failed"]) == ("SUCCESS", 2, 0), first
        assert first["details"]["linking"]["linked"] == 2, first
        # linked, not duplicated; the store's images were adopted, not uploaded again
        assert _state(s) == counts
        _assert_untouched(s, before)
        products = _products(s)
        assert (products["Mug"].variants[0].sku, products["Mug"].variants[0].price) == (
            "MUG-1",
            "10.00",
        )
        assert products["Mug"].variants[1].price == "15.00"  # the merchant's variant

        for edit in (
            {"price": "12.00"},
            {"vendor": "Acme Co", "images": [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]},
            {"name": "Mug XL"},
        ):
            await s.update_entity(mug, **edit)
            log = (await s.run("push"))["syncLog"]
            assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 1, 0), log
            _assert_untouched(s, before)
            assert _state(s) == counts
        mug_product = _products(s)["Mug XL"]
        assert mug_product.variants[0].price == "12.00" and _brand(mug_product) == "Acme Co"
        assert _sources(mug_product) == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]

        log = (await s.run("pull"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        assert (await s.entity(mug))["images"] == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert (await s.entity(tee))["images"] == [f"{IMG}/tee.jpg"]
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 0, 0), log
        _assert_untouched(s, before)
        assert _state(s) == counts


async def test_a_linked_product_with_the_same_images_is_no_conflict(database_url: str) -> None:
    # MANUAL lets a newly linked pair through only when both sides agree; the store's images
    # are CDN URLs of uploads from the PIM's sources, which must count as the same images
    async with stack(database_url) as s:
        await s.set_channel(
            conflictPolicy="MANUAL",
            fieldMappings=[
                {"attribute": "name", "field": "title"},
                {"attribute": "sku", "field": "variant.sku"},
                {"attribute": "price", "field": "variant.price"},
                {"attribute": "images", "field": "images"},
            ],
        )
        images = [f"{IMG}/mug-front.jpg", f"{IMG}/mug-back.jpg"]
        body = await s.shopify(
            MERCHANT_PRODUCT,
            {
                "input": {
                    "title": "Mug",
                    "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
                    "variants": [
                        {
                            "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                            "sku": "MUG-1",
                            "price": "10.00",
                        }
                    ],
                    "files": [{"originalSource": url, "contentType": "IMAGE"} for url in images],
                }
            },
        )
        assert body["data"]["productSet"]["userErrors"] == [], body
        s.emulator.store.clock.advance(3600)  # the merchant's uploads are processed by now
        await s.create_entity(name="Mug", sku="MUG-1", price="10.00", images=images)
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["failed"]) == ("SUCCESS", 0), log["errors"]
        assert log["details"]["linking"]["linked"] == 1
        assert _state(s) == (1, 1, 2)
