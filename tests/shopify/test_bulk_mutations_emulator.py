"""Bulk mutations at Shopify's limits, against the emulator over real HTTP.

Byte-bounded chunks, oversize lines, five operations at once (one before 2026-01) shared by
every client of a shop, partial results of a FAILED operation, a lost start reply, and the
leftover operation of a crashed run.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from emulator.clock import Clock
from emulator.runner import run_emulator
from sync.identity import identity_identifier
from sync.shopify import ShopifyClient, ShopifyConfig

SHOP, TOKEN = "bulk-limits.myshopify.com", "shpat_bulk_limits"
ACTIVE = {"CREATED", "RUNNING", "CANCELING"}
# 2025-10 is still supported then, and 2026-10 is served as the release candidate.
SEPTEMBER_2026 = datetime(2026, 9, 15, tzinfo=UTC)


def config(base_url: str, version: str, **overrides: Any) -> ShopifyConfig:
    settings: dict[str, Any] = {
        "shop_domain": SHOP,
        "access_token": TOKEN,
        "api_version": version,
        "base_url": base_url,
        "timeout": 5.0,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "bulk_poll_interval": 0.01,
        "bulk_poll_max_interval": 0.02,
        **overrides,
    }
    return ShopifyConfig(**settings)


def product_lines(count: int, start: int = 0, pad: int = 0) -> list[tuple[Any, Any]]:
    return [
        (
            identity_identifier(f"e{n}"),
            {"title": f"P{n}", "descriptionHtml": "d" * pad, "status": "ACTIVE"},
        )
        for n in range(start, start + count)
    ]


@contextlib.asynccontextmanager
async def emulator(**options: Any) -> AsyncIterator[Any]:
    clock = Clock(SEPTEMBER_2026)
    async with run_emulator(shop=SHOP, token=TOKEN, clock=clock, **options) as emu:
        async with ShopifyClient(config(emu.base_url, "2026-10")) as client:
            await client.ensure_identity_definition()  # creates are keyed by it
        yield emu


@contextlib.asynccontextmanager
async def active_peak(emu: Any) -> AsyncIterator[Callable[[str | None], int]]:
    """Samples the emulator's running operations; yields peak(type) for after the block."""
    peaks: dict[str | None, int] = {None: 0, "QUERY": 0, "MUTATION": 0}

    async def sample() -> None:
        while True:
            active = [op for op in emu.store.bulk_operations.values() if op.status in ACTIVE]
            peaks[None] = max(peaks[None], len(active))
            for kind in ("QUERY", "MUTATION"):
                peaks[kind] = max(peaks[kind], sum(op.type == kind for op in active))
            await asyncio.sleep(0.002)

    task = asyncio.create_task(sample())
    try:
        yield lambda kind: peaks[kind]
    finally:
        task.cancel()


async def test_lines_past_the_upload_limit_are_split_and_all_applied() -> None:
    async with emulator(upload_limit=4000) as emu:
        cfg = config(emu.base_url, "2026-10", bulk_upload_limit=4000)
        lines = product_lines(40, pad=300)  # ~420 bytes a line: ~17 KB, four files at least
        lines.append(
            (identity_identifier("huge"), {"title": "Huge", "descriptionHtml": "h" * 5000})
        )
        async with ShopifyClient(cfg) as client:
            seen: list[int] = []
            results = await client.run_bulk_product_set(
                lines, owner="c1", run="r1", on_progress=lambda _, done: seen.append(done)
            )
        operations = list(emu.store.bulk_operations.values())
        assert len(operations) >= 5
        assert all(op.status == "COMPLETED" for op in operations)
        assert [r.ok for r in results[:40]] == [True] * 40
        assert sorted(p.title for p in emu.store.products.values()) == sorted(
            f"P{n}" for n in range(40)
        )
        assert seen == sorted(seen) and seen[-1] == 40  # lines done, across the files
        huge = results[40]
        assert huge.product is None and "more than a bulk upload file may hold" in str(huge.error)


@pytest.mark.parametrize(
    ("version", "overall", "mutations"), [("2026-10", 5, 5), ("2025-10", 1, 1)]
)
async def test_operations_at_once_use_the_shops_limit_and_never_more(
    version: str, overall: int, mutations: int
) -> None:
    async with emulator(upload_limit=2000, bulk_delay=0.05) as emu:
        cfg = config(emu.base_url, version, bulk_upload_limit=2000)
        # Two clients (two channels) on one store, each with several files to run.
        async with active_peak(emu) as peak, ShopifyClient(cfg) as one, ShopifyClient(cfg) as two:
            first, second = await asyncio.gather(
                one.run_bulk_product_set(product_lines(30, pad=200), owner="a", run="r"),
                two.run_bulk_product_set(product_lines(30, 100, pad=200), owner="b", run="r"),
            )
        assert all(r.ok for r in first + second)
        assert len(emu.store.products) == 60
        # The two channels waited for each other's slots: Shopify never had to refuse a start.
        assert emu.stats.requests["bulkOperationRunMutation"] == len(emu.store.bulk_operations)
        assert (peak(None), peak("MUTATION")) == (overall, mutations)
        assert len(emu.store.bulk_operations) >= 8


async def test_a_failed_operation_still_records_its_partial_results() -> None:
    async with emulator() as emu:
        emu.bulk.fail_next(after_lines=3)
        async with ShopifyClient(config(emu.base_url, "2026-10")) as client:
            results = await client.run_bulk_product_set(product_lines(6), owner="c", run="r")
        [operation] = emu.store.bulk_operations.values()
        assert operation.status == "FAILED"
        assert [r.ok for r in results] == [True, True, True, False, False, False]
        assert results[0].product is not None and results[0].product["title"] == "P0"
        assert "ended FAILED (INTERNAL_SERVER_ERROR) before this line ran" in str(results[4].error)


@pytest.mark.parametrize("version", ["2026-10", "2025-10"])
async def test_a_lost_start_reply_is_adopted_not_started_again(version: str) -> None:
    async with emulator(bulk_delay=0.05) as emu:
        emu.faults.drop_after_commit("bulkOperationRunMutation")
        async with ShopifyClient(config(emu.base_url, version)) as client:
            results = await client.run_bulk_product_set(product_lines(5), owner="c", run="r")
        assert all(r.ok for r in results)
        # Shopify started it; the client found it by name instead of starting a second one
        # (2026-01+: beside it; before: refused as "already in progress", its own operation).
        assert len(emu.store.bulk_operations) == 1
        assert len(emu.store.products) == 5


@pytest.mark.parametrize("version", ["2026-10", "2025-10"])
async def test_a_crashed_runs_operation_is_cancelled_by_the_next_run(version: str) -> None:
    async with emulator(bulk_delay=0.3) as emu:
        cfg = config(emu.base_url, version)
        async with ShopifyClient(cfg) as crashed:
            task = asyncio.create_task(
                crashed.run_bulk_product_set(product_lines(5), owner="chan", run="run1")
            )
            while not emu.store.bulk_operations:
                await asyncio.sleep(0.005)
            task.cancel()  # the process stops; its operation keeps running in Shopify
            with contextlib.suppress(asyncio.CancelledError):
                await task
        [leftover] = emu.store.bulk_operations.values()
        assert leftover.status in ACTIVE
        async with ShopifyClient(cfg) as client:
            # Another channel's operation on the same shop is left alone.
            other = asyncio.create_task(
                client.run_bulk_product_set(product_lines(2, 50), owner="other", run="x")
            )
            results = await client.run_bulk_product_set(product_lines(5), owner="chan", run="run2")
            assert all(r.ok for r in await other)
            assert client.bulk_recovered == [f"gid://shopify/BulkOperation/{leftover.id}"]
        assert leftover.status == "CANCELED"
        assert all(r.ok for r in results)
        statuses = sorted(op.status for op in emu.store.bulk_operations.values())
        assert statuses == ["CANCELED", "COMPLETED", "COMPLETED"]
        assert len(emu.store.products) == 7  # upserts: nothing created twice


async def test_a_storage_limit_below_the_versions_is_met_by_halving_files() -> None:
    # The client assumes 100 MB (2026-10); the storage policy says 3,000 bytes.
    async with emulator(upload_limit=3000) as emu:
        lines = product_lines(24, pad=300)
        lines.insert(
            5, (identity_identifier("big"), {"title": "Big", "descriptionHtml": "b" * 4000})
        )
        async with ShopifyClient(config(emu.base_url, "2026-10")) as client:
            results = await client.run_bulk_product_set(lines, owner="c", run="r")
        assert [r.line for r in results if not r.ok] == [5]
        assert "alone is too large to upload" in str(results[5].error)
        assert len(emu.store.products) == 24
        assert len(emu.store.bulk_operations) >= 4
