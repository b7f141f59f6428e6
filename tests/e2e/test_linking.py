"""A store that already sells the PIM's products: first push, pull and sync link them by the
channel's matchBy key instead of duplicating them; ambiguous matches are left alone."""

from typing import Any

import pytest

from sync.run import BulkMode, RunOptions
from tests.helpers.stack import Stack, stack

CREATE = """mutation($input: ProductSetInput!) { productSet(input: $input, synchronous: true) {
  product { id } userErrors { field message code } } }"""
PRODUCT = """query($id: ID!) { product(id: $id) { id title
  metafield(namespace: "sigma", key: "entity_id") { value } } }"""


async def merchant_product(s: Stack, title: str, *skus: str) -> str:
    """A product the merchant made in Shopify, one variant per SKU, no identity metafield."""
    values = [f"V{i}" for i in range(len(skus))]
    body = await s.shopify(
        CREATE,
        {
            "input": {
                "title": title,
                "productOptions": [
                    {"name": "Style", "values": [{"name": value} for value in values]}
                ],
                "variants": [
                    {"optionValues": [{"optionName": "Style", "name": value}], "sku": sku}
                    for value, sku in zip(values, skus, strict=True)
                ],
            }
        },
    )
    payload = body["data"]["productSet"]
    assert payload["userErrors"] == [], payload
    return str(payload["product"]["id"])


async def product(s: Stack, product_id: str) -> dict[str, Any]:
    body = await s.shopify(PRODUCT, {"id": product_id})
    node: dict[str, Any] = body["data"]["product"]
    return node


def store_size(s: Stack) -> int:
    return len(s.emulator.store.products)


def errors_by_item(log: dict[str, Any]) -> dict[str, str]:
    return {e["entityId"] or e["externalId"]: e["message"] for e in log["errors"]}


@pytest.mark.parametrize("bulk", ["never", "always"])
async def test_first_push_links_one_to_one_and_leaves_ambiguous_alone(
    database_url: str, bulk: str
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode(bulk))}) as s:
        mug = await merchant_product(s, "Store mug", "MUG-1")
        red = await merchant_product(s, "Tee red", "TEE-1")
        blue = await merchant_product(s, "Tee blue", "TEE-1")
        cap = await merchant_product(s, "Cap", "CAP-1")
        other = await merchant_product(s, "Unrelated", "OTHER-1")
        e_mug = await s.create_entity(name="Mug", sku="MUG-1", price="12.50")
        e_tee = await s.create_entity(name="Tee", sku="TEE-1", price="20.00")
        e_new = await s.create_entity(name="New", sku="NEW-1", price="5.00")
        e_cap1 = await s.create_entity(name="Cap A", sku="CAP-1", price="9.00")
        e_cap2 = await s.create_entity(name="Cap B", sku="CAP-1", price="9.00")
        before = store_size(s)

        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("PARTIAL", 2, 4), log
        linking = log["details"]["linking"]
        assert (linking["linked"], linking["created"], linking["ambiguous"]) == (1, 1, 4)
        assert linking["matchBy"] == "SKU"
        typed = await s.api.gql(
            "query($id: ID!) { syncLog(id: $id) { linked created ambiguous } }", {"id": log["id"]}
        )
        assert typed["data"]["syncLog"] == {"linked": 1, "created": 1, "ambiguous": 4}
        errors = errors_by_item(log)
        assert set(errors) == {e_tee, e_cap1, e_cap2, cap}
        assert red in errors[e_tee] and blue in errors[e_tee]
        assert e_cap1 in errors[cap] and e_cap2 in errors[cap]
        assert all("ambiguous match" in message for message in errors.values())

        # One new product (the unmatched entity); the matched one was updated in place.
        assert store_size(s) == before + 1
        linked = await product(s, mug)
        assert linked["title"] == "Mug" and linked["metafield"] == {"value": e_mug}
        for untouched, title in ((red, "Tee red"), (blue, "Tee blue"), (cap, "Cap")):
            assert await product(s, untouched) == {
                "id": untouched,
                "title": title,
                "metafield": None,
            }
        assert (await product(s, other))["title"] == "Unrelated"
        mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        assert {m["entityId"]: m["externalId"] for m in mappings}[e_mug] == mug
        assert {m["entityId"] for m in mappings} == {e_mug, e_new}

        # Again: nothing is created for the ambiguous ones, the rest is unchanged.
        again = (await s.run("push"))["syncLog"]
        assert (again["pushed"], again["skipped"], again["failed"]) == (0, 2, 4), again
        assert store_size(s) == before + 1


async def test_first_pull_links_an_entity_instead_of_creating_one(database_url: str) -> None:
    async with stack(database_url) as s:
        mug = await merchant_product(s, "Store mug", "MUG-1")
        await merchant_product(s, "Unrelated", "OTHER-1")
        e_mug = await s.create_entity(name="Old name", sku="MUG-1", price="12.50")

        log = (await s.run("pull"))["syncLog"]
        assert (log["status"], log["pulled"], log["failed"]) == ("SUCCESS", 2, 0), log
        linking = log["details"]["linking"]
        assert (linking["linked"], linking["created"], linking["ambiguous"]) == (1, 1, 0)
        entities = await s.entities()
        assert len(entities) == 2
        assert (await s.entity(e_mug))["name"] == "Store mug"
        assert (await product(s, mug))["metafield"] == {"value": e_mug}

        again = (await s.run("pull"))["syncLog"]
        assert (again["pulled"], again["failed"]) == (0, 0), again
        assert len(await s.entities()) == 2


@pytest.mark.parametrize("bulk", ["never", "always"])
async def test_first_sync_links_then_creates_only_what_is_new(database_url: str, bulk: str) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode(bulk))}) as s:
        mug = await merchant_product(s, "Store mug", "MUG-1")
        await merchant_product(s, "Unrelated", "OTHER-1")
        e_mug = await s.create_entity(name="Mug", sku="MUG-1", price="12.50")
        await s.create_entity(name="New", sku="NEW-1", price="5.00")

        log = (await s.run("sync"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        linking = log["details"]["linking"]
        # linked: the mug; created: the new entity's product and the unrelated product's entity
        assert (linking["linked"], linking["created"], linking["ambiguous"]) == (1, 2, 0)
        assert store_size(s) == 3
        assert len(await s.entities()) == 3
        linked = await product(s, mug)
        assert linked["title"] == "Mug" and linked["metafield"] == {"value": e_mug}

        again = (await s.run("sync"))["syncLog"]
        assert (again["pushed"], again["pulled"], again["failed"]) == (0, 0, 0), again
        assert store_size(s) == 3 and len(await s.entities()) == 3


async def test_ambiguity_holds_across_batches(database_url: str) -> None:
    # One entity per batch: the second entity meets a product the first one found ambiguous.
    async with stack(database_url, runner={"options": RunOptions(batch_size=1)}) as s:
        cap = await merchant_product(s, "Cap", "CAP-1")
        first = await s.create_entity(name="Cap A", sku="CAP-1", price="9.00")
        second = await s.create_entity(name="Cap B", sku="CAP-1", price="9.00")
        log = (await s.run("push"))["syncLog"]
        assert (log["pushed"], log["failed"]) == (0, 3), log
        assert set(errors_by_item(log)) == {first, second, cap}
        assert store_size(s) == 1


async def test_a_pull_leaves_an_ambiguous_product_alone(database_url: str) -> None:
    async with stack(database_url) as s:
        await merchant_product(s, "Tee red", "TEE-1")
        await merchant_product(s, "Tee blue", "TEE-1")
        tee = await s.create_entity(name="Tee", sku="TEE-1", price="20.00")
        log = (await s.run("pull"))["syncLog"]
        assert (log["status"], log["pulled"], log["failed"]) == ("PARTIAL", 0, 1), log
        assert set(errors_by_item(log)) == {tee}
        assert len(await s.entities()) == 1  # neither tee became a second entity


@pytest.mark.parametrize(
    ("match_by", "field", "key", "title"),
    [
        ("BARCODE", "variant.barcode", "4006381333948", "Wool Scarf"),
        ("HANDLE", "handle", "canvas-tote", "Canvas Tote"),
    ],
)
async def test_link_by_barcode_or_handle_in_a_merchant_store(
    database_url: str, match_by: str, field: str, key: str, title: str
) -> None:
    async with stack(database_url, merchant_store=True) as s:
        mappings = [{"attribute": "name", "field": "title"}, {"attribute": "sku", "field": field}]
        await s.set_channel(fieldMappings=mappings, matchBy=match_by)
        entity = await s.create_entity(name=f"{title} (PIM)", sku=key)
        before = store_size(s)
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 1), log
        assert log["details"]["linking"]["matchBy"] == match_by
        assert store_size(s) == before
        seeded = s.emulator.merchant
        assert seeded is not None
        linked = await product(s, f"gid://shopify/Product/{seeded.linked[title]}")
        assert linked["title"] == f"{title} (PIM)"
        assert linked["metafield"] == {"value": entity}


async def test_a_key_with_a_quote_is_found_by_reading_the_store(database_url: str) -> None:
    async with stack(database_url) as s:
        mug = await merchant_product(s, 'Mug 12"', 'MUG-12"')
        entity = await s.create_entity(name="Mug", sku='MUG-12"', price="12.50")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["details"]["linking"]["linked"]) == ("SUCCESS", 1), log
        assert log["details"]["linking"]["storeRead"] == "bulk"  # not a search
        assert store_size(s) == 1
        assert (await product(s, mug))["metafield"] == {"value": entity}


async def test_a_first_bulk_push_into_an_empty_store_reads_nothing(database_url: str) -> None:
    options = RunOptions(bulk=BulkMode.ALWAYS)
    async with stack(database_url, runner={"options": options}) as s:
        for i in range(3):
            await s.create_entity(name=f"Item {i}", sku=f"IT-{i}", price="1.00")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 3), log
        assert log["details"]["linking"]["storeRead"] == "empty"
        assert log["details"]["linking"]["created"] == 3
        assert s.emulator.stats.requests["bulkOperationRunQuery"] == 0
