"""The bulk paths (staged JSONL import, bulk query export) and the per-item paths agree."""

from pathlib import Path
from typing import Any

from sync.run import BulkMode, RunOptions
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
