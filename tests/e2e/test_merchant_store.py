"""A push touches only what its channel owns, on a store that looks like a merchant's.

Over HTTP against the emulator: after a first sync the merchant adds other apps' metafields, a
variant with stock and stock on our variants; then three pushes with edits, a pull and another
sync. Every unmapped metafield, every variant id and its stock stay; no image is uploaded twice;
every PIM edit reaches Shopify. The same through the bulk path. (A store that sold the PIM's
items before the channel connected: test_merchant_catalog.py and test_merchant_linking.py.)
"""

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
from tests.helpers.stack import stack


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
        tee = await create_tee(s)
        first = (await s.run("sync"))["syncLog"]
        assert (first["status"], first["pushed"]) == ("SUCCESS", 2), first
        assert store_state(s) == (2, 3, 3)

        await merchant_edits(s)
        before = unowned_snapshot(s)
        counts_before = store_state(s)
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
        assert_untouched(s, before)
        assert store_state(s) == counts_before
        products = products_by_title(s)
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
        assert_untouched(s, before)
        products = products_by_title(s)
        assert brand(products["Mug"]) == "Acme Co" and brand(products["Tee"]) == "Acme"
        assert sources(products["Mug"]) == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert sources(products["Tee"]) == [f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"]
        assert store_state(s) == (2, 4, 4)  # one new file: the new image, nothing uploaded again

        # 3: the mapped metafield is cleared in the PIM (deleted in Shopify), a title changes
        await s.update_entity(mug, vendor=None, name="Mug XL")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 1, 0), log
        assert_untouched(s, before)
        assert brand(products_by_title(s)["Mug XL"]) is None

        # a pull gives back sources, never Shopify CDN URLs, and changes nothing in Shopify
        log = (await s.run("pull"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        pulled = await s.entity(mug)
        assert pulled["images"] == [f"{IMG}/mug-back.jpg", f"{IMG}/mug-front.jpg"]
        assert (await s.entity(tee))["images"] == [f"{IMG}/tee.jpg", f"{IMG}/tee-back.jpg"]
        log = (await s.run("sync"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 0, 0), log
        assert_untouched(s, before)
        assert store_state(s) == (2, 4, 4)
