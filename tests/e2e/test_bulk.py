"""The bulk paths (staged JSONL import, bulk query export) and the per-item paths agree."""

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from db.models import SyncMapping
from sync.run import BulkMode, RunOptions
from tests.helpers.merchant_store import MAPPINGS, brand, products_by_title
from tests.helpers.stack import Stack, stack


def _store_view(s: Stack) -> list[dict[str, Any]]:
    """What a merchant sees in the store, without Shopify's generated ids."""
    view = []
    for product in s.emulator.store.products.values():
        view.append(
            {
                "title": product.title,
                "status": product.status,
                "tags": sorted(product.tags),
                "variants": sorted(
                    (v.sku, v.price, tuple(v.option_values)) for v in product.variants
                ),
            }
        )
    return sorted(view, key=lambda p: str(p["title"]))


async def _seed(s: Stack) -> None:
    for i in range(12):
        await s.create_entity(
            name=f"Bulk {i}", price=f"{i}.25", sku=f"BK{i}", tags=["bulk"], status="ACTIVE"
        )
    await s.create_entity(
        name="Shirt",
        variants=[
            {"sku": f"SH-{size}", "price": "30.00", "options": {"Size": size}}
            for size in ("S", "M")
        ],
    )
    await s.create_entity(name="Rejected", price="-1.00", sku="NEG")


async def _push_with(tmp_path: Path, mode: BulkMode) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    url = f"sqlite+aiosqlite:///{tmp_path / f'{mode}.db'}"
    async with stack(url, runner={"options": RunOptions(bulk=mode)}) as s:
        await _seed(s)
        log = (await s.run("push"))["syncLog"]
        again = (await s.run("push"))["syncLog"]
        assert (again["pushed"], again["skipped"], again["failed"]) == (0, 13, 1), again
        return _store_view(s), log


async def test_bulk_and_per_item_push_give_the_same_store(tmp_path: Path) -> None:
    bulk_store, bulk_log = await _push_with(tmp_path, BulkMode.ALWAYS)
    item_store, item_log = await _push_with(tmp_path, BulkMode.NEVER)
    assert bulk_log["details"]["pushMode"] == "bulk"
    assert item_log["details"]["pushMode"] == "per-item"
    assert bulk_store == item_store and len(bulk_store) == 13
    for log in (bulk_log, item_log):
        assert (log["status"], log["pushed"], log["failed"]) == ("PARTIAL", 13, 1)
        assert "greater than or equal to 0" in log["errors"][0]["message"]


async def _pull_with(tmp_path: Path, mode: BulkMode) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    url = f"sqlite+aiosqlite:///{tmp_path / f'pull-{mode}.db'}"
    async with stack(url, runner={"options": RunOptions(bulk=mode)}, products=25, seed=3) as s:
        log = (await s.run("pull"))["syncLog"]
        entities = sorted(
            (e["attributes"] for e in await s.entities()), key=lambda a: str(a["name"])
        )
        return entities, log


async def test_bulk_and_paged_pull_give_the_same_entities(tmp_path: Path) -> None:
    bulk_entities, bulk_log = await _pull_with(tmp_path, BulkMode.ALWAYS)
    paged_entities, paged_log = await _pull_with(tmp_path, BulkMode.NEVER)
    assert bulk_log["details"]["pullMode"] == "bulk"
    assert paged_log["details"]["pullMode"] == "per-item"
    assert bulk_log["pulled"] == paged_log["pulled"] == 25
    assert bulk_entities == paged_entities


async def test_auto_mode_chooses_bulk_for_many_changes_and_full_pulls(database_url: str) -> None:
    async with stack(
        database_url, runner={"options": RunOptions(bulk_threshold=5)}, products=3
    ) as s:
        for i in range(6):
            await s.create_entity(name=f"A{i}", price="1.00", sku=f"A{i}")
        pushed = (await s.run("push"))["syncLog"]
        assert pushed["details"]["pushMode"] == "bulk" and pushed["pushed"] == 6
        assert s.emulator.stats.requests["productSet"] == 0
        few = await s.create_entity(name="One more", price="1.00", sku="A9")
        single = (await s.run("push"))["syncLog"]
        assert single["details"]["pushMode"] == "per-item" and single["pushed"] == 1
        assert few
        first = (await s.run("pull"))["syncLog"]
        assert first["details"]["pullMode"] == "bulk"
        second = (await s.run("pull"))["syncLog"]
        assert second["details"]["pullMode"] == "per-item"


async def test_a_bulk_push_of_edits_writes_variant_fields_and_metafields_as_bulk_lines(
    database_url: str,
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode.ALWAYS)}) as s:
        await s.set_channel(fieldMappings=MAPPINGS)
        ids = [
            await s.create_entity(name=f"Edit {i}", sku=f"ED{i}", price="1.00", vendor="Acme")
            for i in range(5)
        ]
        first = (await s.run("push"))["syncLog"]
        assert (first["status"], first["pushed"]) == ("SUCCESS", 5), first
        for i in range(4):  # price edits; the first two also change the mapped metafield
            await s.update_entity(
                ids[i], price=f"{i + 2}.50", vendor="Acme Co" if i < 2 else "Acme"
            )
        await s.update_entity(ids[4], vendor="Other")  # the metafield (its variant fields go too)
        await s.update_entity(ids[3], price="-1.00")  # Shopify refuses a negative price
        s.emulator.stats.reset()
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("PARTIAL", 4, 1), log
        assert "Shopify rejected the variant fields" in log["errors"][0]["message"], log
        requests = s.emulator.stats.requests
        # productSet, metafieldsSet and productVariantsBulkUpdate lines: three bulk operations
        assert requests["bulkOperationRunMutation"] == 3, requests
        assert requests["productVariantsBulkUpdate"] == requests["metafieldsSet"] == 0, requests
        # the products came back from their variants' lines: only the failed one is read again
        assert requests["product"] == 1, requests
        products = products_by_title(s)
        assert [products[f"Edit {i}"].variants[0].price for i in range(4)] == [
            "2.50", "3.50", "4.50", "1.00"
        ]  # fmt: skip
        assert [brand(products[f"Edit {i}"]) for i in range(5)] == [
            "Acme Co", "Acme Co", "Acme", "Acme", "Other"
        ]  # fmt: skip
        # the failed item keeps no checksum: sent (and refused) again; the others are settled
        again = (await s.run("push"))["syncLog"]
        assert (again["pushed"], again["skipped"], again["failed"]) == (0, 4, 1), again


async def test_metafield_only_edits_go_in_bulk_and_are_read_back_once_each(
    database_url: str,
) -> None:
    mappings = [m for m in MAPPINGS if not m["field"].startswith("variant.")]
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode.ALWAYS)}) as s:
        await s.set_channel(fieldMappings=mappings)
        ids = [await s.create_entity(name=f"Brand {i}", vendor="Acme") for i in range(3)]
        assert (await s.run("push"))["syncLog"]["pushed"] == 3
        for entity_id in ids:
            await s.update_entity(entity_id, vendor="Acme Co")
        s.emulator.stats.reset()
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 3), log
        requests = s.emulator.stats.requests
        assert requests["bulkOperationRunMutation"] == 2, requests  # productSet, metafieldsSet
        assert (requests["metafieldsSet"], requests["product"]) == (0, 3), requests
        products = products_by_title(s)
        assert [brand(products[f"Brand {i}"]) for i in range(3)] == ["Acme Co"] * 3
        async with s.sessions() as session:
            checksums = (await session.execute(select(col(SyncMapping.checksum)))).scalars().all()
        assert len(checksums) == 3 and None not in checksums  # settled: not pushed again
