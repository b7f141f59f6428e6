"""`python -m bench --steady 10000,100000`: what a scheduled sync costs when nothing (or 1%)
changed, at several sizes, with the emulator in its own process so that the CPU and peak RSS
figures are the engine's alone.

Per size N: an emulator process seeded with N products (an hour old); a first pull (bulk) into
a fresh SQLite database; the first sync after it (compares every entity once); three no-change
syncs (the median is the steady row); 1% of the entities edited, then a sync. Unless
--steady-no-push, a first push (bulk) of N seeded entities into a second, empty emulator.
"""

import itertools
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from bench.emulator_process import emulator_process
from bench.measure import current_rss_mb, peak_rss_mb, reset_peak_rss
from bench.report import machine
from bench.seeding import BenchDatabase, edit_entities, open_database, seed_entities
from db.enums import SyncDirection
from db.models import Entity
from sync.run import BulkMode, RunOptions
from sync.runner import Runner
from sync.shopify.client import ShopifyClient
from sync.shopify.config import ShopifyConfig

SHOP = "steady-store.myshopify.com"
TOKEN = "shpat_steady_bench"
# Shopify's 2000-point bucket and 100 points/s, scaled: these rows are not cost-bound.
SCALE = 200.0


@dataclass
class Row:
    size: int
    scenario: str
    items: str
    requests: int
    cost: float
    wall: float
    cpu: float
    peak_rss: float
    note: str = ""


async def _measure(
    size: int, scenario: str, runner: Runner, channel_id: str, direction: SyncDirection
) -> Row:
    print(f"  N={size}: {scenario} ...", flush=True)
    reset_peak_rss()
    cpu, wall = time.process_time(), time.perf_counter()
    log = await runner.start(channel_id, direction, wait=True)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    shopify: dict[str, Any] = dict(log.details.get("shopify") or {})
    local = log.details.get("localChanges") or {}
    items = f"{log.pushed}↑ {log.pulled}↓ {log.skipped}= {log.failed}✗"
    note = f"read {local['read']} ({local['mode']})" if local else ""
    if log.errors:
        note = f"{note} first error: {log.errors[0].get('message')}".strip()
    row = Row(
        size,
        scenario,
        items,
        int(shopify.get("requests", 0)),
        float(shopify.get("actual_cost", 0.0)),
        wall,
        cpu,
        max(peak_rss_mb(), current_rss_mb()),
        note,
    )
    print(
        f"    {row.wall:.3f}s wall, {row.cpu:.2f}s CPU, {row.peak_rss:.0f} MB peak RSS, "
        f"{row.requests} requests, cost {row.cost:g}, {items} {note}",
        flush=True,
    )
    return row


def _runner(db: BenchDatabase) -> Runner:
    def client(config: ShopifyConfig) -> ShopifyClient:
        return ShopifyClient(config)

    return Runner(
        db.sessions,
        db.box,
        db.settings,
        client_factory=client,
        options=RunOptions(bulk=BulkMode.AUTO),
    )


async def _entity_ids(db: BenchDatabase) -> list[str]:
    async with db.sessions() as session:
        rows = await session.execute(select(col(Entity.id)).order_by(col(Entity.id)))
        return list(rows.scalars().all())


async def _sync_rows(size: int, workdir: Path, seed: int) -> list[Row]:
    rows: list[Row] = []
    print(f"  N={size}: seeding an emulator process with {size} products ...", flush=True)
    async with emulator_process(SHOP, TOKEN, size, 2000 * SCALE, 100 * SCALE, seed) as url:
        db = await open_database(str(workdir / f"steady-{size}.db"), url)
        channel = await db.add_channel("Steady", SHOP, TOKEN)
        runner = _runner(db)
        rows.append(await _measure(size, "first pull (bulk)", runner, channel, SyncDirection.PULL))
        sync = SyncDirection.BIDIRECTIONAL
        rows.append(await _measure(size, "first sync (compares all)", runner, channel, sync))
        quiet = [await _measure(size, "no-change sync", runner, channel, sync) for _ in range(3)]
        median = statistics.median(r.wall for r in quiet)
        steady = next(r for r in quiet if r.wall == median)
        steady.note = f"{steady.note}; median of 3 ({', '.join(f'{r.wall:.3f}' for r in quiet)})"
        rows.append(steady)
        ids = await _entity_ids(db)
        await edit_entities(db, ids[::100], "(edited)")
        rows.append(await _measure(size, "1%-changed sync", runner, channel, sync))
        await runner.shutdown()
    return rows


async def _push_row(size: int, workdir: Path, seed: int) -> Row:
    async with emulator_process(SHOP, TOKEN, 0, 2000 * SCALE, 100 * SCALE, seed) as url:
        db = await open_database(str(workdir / f"push-{size}.db"), url)
        print(f"  N={size}: seeding {size} entities ...", flush=True)
        await seed_entities(db, size, seed)
        channel = await db.add_channel("Steady push", SHOP, TOKEN)
        runner = _runner(db)
        row = await _measure(size, "first push (bulk)", runner, channel, SyncDirection.PUSH)
        await runner.shutdown()
    return row


async def steady_rows(
    sizes: Sequence[int], push: bool, seed: int = 1, out: Path | None = None
) -> list[Row]:
    """All rows; with `out`, the report so far is written after each size."""
    rows: list[Row] = []
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="sigma-steady-") as workdir:
            rows += await _sync_rows(size, Path(workdir), seed)
            if out is not None:
                out.write_text(steady_report(rows, sizes))
            if push:
                rows.append(await _push_row(size, Path(workdir), seed))
        if out is not None:
            out.write_text(steady_report(rows, sizes))
    return rows


def _table(rows: Sequence[Row]) -> list[str]:
    head = ["N", "scenario", "items", "requests", "cost", "wall s", "CPU s", "peak RSS MB", "note"]
    cells = [
        [
            str(r.size),
            r.scenario,
            r.items,
            str(r.requests),
            f"{r.cost:g}",
            f"{r.wall:.3f}",
            f"{r.cpu:.2f}",
            f"{r.peak_rss:.0f}",
            r.note,
        ]
        for r in rows
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    return lines + ["| " + " | ".join(c) + " |" for c in cells]


def _ratios(rows: Sequence[Row], sizes: Sequence[int]) -> list[str]:
    lines = []
    for scenario in ("no-change sync", "1%-changed sync"):
        walls = {r.size: r.wall for r in rows if r.scenario == scenario}
        for small, large in itertools.pairwise(sizes):
            if small in walls and large in walls and walls[small] > 0:
                ratio = walls[large] / walls[small]
                lines.append(
                    f"- {scenario}: wall at N={large} / wall at N={small} = "
                    f"{walls[large]:.3f} / {walls[small]:.3f} = {ratio:.2f}"
                )
    return lines


def steady_report(rows: Sequence[Row], sizes: Sequence[int]) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Sigma steady-state benchmark, N = {', '.join(map(str, sizes))}",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        "- Emulator in its own process (bench.emulator_process); CPU s and peak RSS are the"
        " engine process's (the kernel's peak mark is reset before each row). Requests and cost"
        f" are the engine's client counters. Bucket and restore rate x{SCALE:g}.",
        "- items: pushed↑ pulled↓ skipped= failed✗; note: entities the local side read"
        " (details.localChanges).",
        "",
        *_table(rows),
        "",
        *_ratios(rows, sizes),
        "",
    ]
    return "\n".join(lines)
