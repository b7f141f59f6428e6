"""Linking a merchant's own products: the PIM's entities are linked to the store's products by
SKU, not duplicated, the store's images are adopted rather than uploaded again, and later pushes
keep the merchant's variant, stock and other apps' metafields."""

import pytest

from sync.run import BulkMode, RunOptions
from tests.helpers.merchant_store import (
    IMG,
    MAPPINGS,
    assert_untouched,
    brand,
    create_tee,
    merchant_edits,
    products_by_title,
    sources,
    store_state,
    unowned_snapshot,
)
from tests.helpers.stack import Stack, stack

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
    await merchant_edits(s, add_variant=False)


@pytest.mark.parametrize("bulk", [BulkMode.NEVER, BulkMode.ALWAYS])
async def test_an_existing_catalog_is_linked_and_keeps_the_merchants_data(
    database_url: str, bulk: BulkMode
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=bulk)}) as s:
        await s.set_channel(fieldMappings=MAPPINGS)
        await _merchant_catalog(s)
        before = unowned_snapshot(s)
        counts = store_state(s)
        assert counts == (2, 4, 3)
        mug = await s.create_entity(
            name="Mug", sku="MUG-1", price="10.00", vendor="Acme",
            images=[f"{IMG}/mug-front.jpg", f"{IMG}/mug-back.jpg"],
        )  # fmt: skip
        tee = await create_tee(s)
        first = (await s.run("sync"))["syncLog"]
        assert (first["status"], first["pushed"], first["failed"]) == ("SUCCESS", 2, 0), first
        assert first["details"]["linking"]["linked"] == 2, first
        # linked, not duplicated; the store's images were adopted, not uploaded again
        assert store_state(s) == counts
        assert_untouched(s, before)
        products = products_by_title(s)
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
            assert_untouched(s, before)
            assert store_state(s) == counts
        mug_product = products_by_title(s)["Mug XL"]
        assert mug_product.variants[0].price == "12.00" and brand(mug_product) == "Acme Co"
        assert sources(mug_product) == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]

        log = (await s.run("pull"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        assert (await s.entity(mug))["images"] == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert (await s.entity(tee))["images"] == [f"{IMG}/tee.jpg"]
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 0, 0), log
        assert_untouched(s, before)
        assert store_state(s) == counts


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
        assert store_state(s) == (1, 1, 2)
