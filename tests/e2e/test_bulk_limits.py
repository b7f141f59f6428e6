"""Bulk operations as Shopify runs them from 2026-01, through the API against the emulator.

Ungrouped exports give the same entities as grouped ones, a push past one upload limit is split
and fully applied, and five operations run at once where the version allows it (one before).
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from emulator.clock import Clock
from sync.run import BulkMode, RunOptions
from sync.shopify import bulk_reassembly
from tests.helpers.stack import Stack, stack

# 2025-10 is still supported then (grouped output) and 2026-10 is served as the release
# candidate (ungrouped, shuffled output; five operations at once; 100 MB uploads).
SEPTEMBER_2026 = datetime(2026, 9, 15, tzinfo=UTC)
ACTIVE = {"CREATED", "RUNNING", "CANCELING"}
# The export must cross every batch boundary on both sides (the emulator's product windows, the
# reassembler's write and read batches; asserted below). Those batches are scaled down for the
# test (500 products a window, 2,000 lines written and 500 read at once in the code): a store of
# 120 products crosses each of them as 2,000 would at full size, and is exported in a fifth of
# the time.
STORE_SIZE = 120
WINDOW, WRITE_BATCH, READ_BATCH = 50, 200, 50


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk_reassembly, "_WRITE_BATCH", WRITE_BATCH)
    monkeypatch.setattr(bulk_reassembly, "_READ_BATCH", READ_BATCH)


async def all_entities(s: Stack) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    after = None
    while True:
        body = await s.api.gql(
            "query($a: String) { entities(first: 250, after: $a) { nodes { attributes } "
            "pageInfo { hasNextPage endCursor } } }",
            {"a": after},
        )
        page = body["data"]["entities"]
        found.extend(node["attributes"] for node in page["nodes"])
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def _first_read(tmp_path: Path, kind: str, version: str) -> tuple[list[Any], Any, bool]:
    url = f"sqlite+aiosqlite:///{tmp_path / f'{kind}-{version}.db'}"
    async with stack(url, products=STORE_SIZE, seed=11, clock=Clock(SEPTEMBER_2026)) as s:
        s.emulator.bulk.window = WINDOW
        await s.set_channel(apiVersion=version)
        log = (await s.run(kind))["syncLog"]
        [export] = [op for op in s.emulator.store.bulk_operations.values() if op.type == "QUERY"]
        assert STORE_SIZE > 2 * WINDOW and STORE_SIZE > 2 * READ_BATCH
        assert export.object_count > WRITE_BATCH, export.object_count
        entities = sorted(await all_entities(s), key=lambda a: (str(a["name"]), str(a)))
        return entities, log, export.shuffled


@pytest.mark.parametrize("kind", ["pull", "sync"])
@pytest.mark.usefixtures("small_batches")
async def test_first_read_ungrouped_on_2026_10_equals_grouped_on_2025_10(
    tmp_path: Path, kind: str
) -> None:
    ungrouped, new_log, shuffled = await _first_read(tmp_path, kind, "2026-10")
    grouped, old_log, old_shuffled = await _first_read(tmp_path, kind, "2025-10")
    assert (shuffled, old_shuffled) == (True, False)  # what each version really served
    for log in (new_log, old_log):
        assert (log["status"], log["pulled"], log["failed"]) == ("SUCCESS", STORE_SIZE, 0), log
        assert log["details"]["pullMode"] == "bulk"
    assert len(ungrouped) == STORE_SIZE
    assert ungrouped == grouped
    assert any(len(a.get("variants") or []) > 1 for a in ungrouped)  # children were regrouped


async def _seed(s: Stack, count: int, pad: int) -> None:
    for n in range(count):
        await s.create_entity(name=f"Item {n}", description="x" * pad, price="5.00", sku=f"IT-{n}")


async def test_a_push_past_one_upload_limit_is_split_and_fully_applied(database_url: str) -> None:
    # The emulator's storage takes 6,000 bytes a file; 40 items of ~700 bytes need five files.
    options = RunOptions(bulk=BulkMode.ALWAYS)
    async with stack(database_url, runner={"options": options}, upload_limit=6000) as s:
        await _seed(s, 40, pad=500)
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 40, 0), log
        assert len(s.emulator.store.products) == 40
        operations = mutations(s)
        assert len(operations) >= 5 and all(op.status == "COMPLETED" for op in operations)
        every = s.emulator.store.bulk_operations
        assert sorted(log["details"]["bulkOperationIds"]) == sorted(
            f"gid://shopify/BulkOperation/{n}" for n in every
        )
        again = (await s.run("push"))["syncLog"]
        assert (again["status"], again["pushed"], again["failed"]) == ("SUCCESS", 0, 0)


def mutations(s: Stack) -> list[Any]:
    # A channel's first push also reads the store (a bulk query) to link existing products.
    return [op for op in s.emulator.store.bulk_operations.values() if op.type == "MUTATION"]


@contextlib.asynccontextmanager
async def peak_operations(s: Stack) -> AsyncIterator[Callable[[str | None], int]]:
    """Samples the emulator's running operations: peak(None) of all, peak(type) of one type."""
    peaks: dict[str | None, int] = {None: 0, "QUERY": 0, "MUTATION": 0}

    async def sample() -> None:
        while True:
            running = [o for o in s.emulator.store.bulk_operations.values() if o.status in ACTIVE]
            peaks[None] = max(peaks[None], len(running))
            for kind in ("QUERY", "MUTATION"):
                peaks[kind] = max(peaks[kind], sum(o.type == kind for o in running))
            await asyncio.sleep(0.002)

    task = asyncio.create_task(sample())
    try:
        yield lambda kind: peaks[kind]
    finally:
        task.cancel()


@pytest.mark.parametrize(
    ("version", "batches", "at_once"),
    # the run's own bound (RunOptions.bulk_batches, 2 by default: it bounds a push's memory)
    # and the shop's (five from 2026-01, one before), whichever is lower
    [("2026-10", 5, 5), ("2026-10", RunOptions().bulk_batches, 2), ("2025-10", 5, 1)],
)
async def test_bulk_push_runs_as_many_operations_at_once_as_allowed(
    database_url: str, version: str, batches: int, at_once: int
) -> None:
    options = RunOptions(bulk=BulkMode.ALWAYS, bulk_chunk=10, batch_size=10, bulk_batches=batches)
    async with stack(
        database_url,
        runner={"options": options},
        bulk_delay=0.2,  # each operation lasts about 0.4 s: they overlap
        clock=Clock(SEPTEMBER_2026),
    ) as s:
        await s.set_channel(apiVersion=version)
        await _seed(s, 80, pad=10)
        async with peak_operations(s) as peak:
            log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 80), log
        assert len(s.emulator.store.products) == 80
        assert len(mutations(s)) == 8
        assert peak("MUTATION") == at_once and peak(None) <= 5
        # Never refused for the limit: our own slots kept us within it.
        assert s.emulator.stats.requests["bulkOperationRunMutation"] == 8
