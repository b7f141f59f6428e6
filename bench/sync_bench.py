"""Engine-level scenarios: push, re-syncs and pulls through `sync.runner.Runner` and a real
emulator (over HTTP on 127.0.0.1) with Shopify's cost rules at a time-scaled restore rate."""

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.measure import Measurement, measure
from bench.seeding import BenchDatabase, edit_entities, open_database, seed_entities
from db.enums import SyncDirection
from db.models import SyncLog
from emulator.clock import Clock
from emulator.runner import Emulator, run_emulator
from sync.run import BulkMode, RunOptions
from sync.runner import Runner
from sync.shopify.client import ShopifyClient
from sync.shopify.config import ShopifyConfig

SHOP = "bench-store.myshopify.com"
TOKEN = "shpat_bench_token"
# Shopify's standard plan: a 2000-point bucket refilled at 100 points/s (observed
# `throttleStatus` of Basic-plan stores; https://shopify.dev/docs/api/usage/limits gives the rate).
BUCKET = 2000.0
RESTORE_RATE = 100.0
# The store is filled (seeded or pushed) with the emulator's clock this far behind, then the clock
# catches up: later runs see products last changed long ago, as a scheduled sync would, instead
# of products younger than the pull window's 5-minute overlap (which would all be read again).
STORE_AGE = timedelta(hours=1)


@dataclass(frozen=True)
class BenchOptions:
    n: int
    scale: float
    timeout: float
    concurrency: int
    seed: int = 1
    only: str | None = None  # "push", "bulk-push" or "pull": one group of scenarios
    # A paged read of 100k products takes the in-process emulator most of an hour.
    skip_paged_pull: bool = False

    @property
    def bucket(self) -> float:
        return BUCKET * self.scale

    @property
    def restore_rate(self) -> float:
        return RESTORE_RATE * self.scale


def past_clock() -> Clock:
    """An emulator clock an hour behind: what is written before `catch_up` looks an hour old."""
    return Clock(start=datetime.now(UTC) - STORE_AGE)


def catch_up(clock: Clock) -> None:
    clock.set(datetime.now(UTC))


def bench_emulator(options: BenchOptions, products: int, clock: Clock | None = None) -> Any:
    return run_emulator(
        shop=SHOP,
        token=TOKEN,
        products=products,
        bucket=options.bucket,
        restore_rate=options.restore_rate,
        seed=options.seed,
        clock=clock,
    )


class ClientTracker:
    """A Runner client factory that keeps the clients it made, to read their limiters after."""

    def __init__(self) -> None:
        self.clients: list[ShopifyClient] = []

    def __call__(self, config: ShopifyConfig) -> ShopifyClient:
        client = ShopifyClient(config)
        self.clients.append(client)
        return client

    def limiter_wait(self) -> float:
        return sum(client.limiter.waited for client in self.clients)


def _counted(log: SyncLog, counter: str) -> tuple[int, dict[str, Any]]:
    shopify: dict[str, Any] = dict(log.details.get("shopify") or {})
    extra: dict[str, Any] = {
        "status": log.status,
        "pushed": log.pushed,
        "pulled": log.pulled,
        "skipped": log.skipped,
        "failed": log.failed,
        "limiter_wait": shopify.get("limiter_wait"),
        "client": shopify,
    }
    if log.errors:
        extra["first_error"] = log.errors[0].get("message")
        print(f"    first error: {log.errors[0].get('message')}", flush=True)
    items = log.skipped if counter == "skipped" else getattr(log, counter)
    return int(items), extra


async def _run(
    label: str,
    emu: Emulator,
    runner: Runner,
    tracker: ClientTracker,
    channel_id: str,
    direction: SyncDirection,
    counter: str,
    options: BenchOptions,
) -> Measurement:
    async def work() -> tuple[int, dict[str, Any]]:
        tracker.clients.clear()
        log = await runner.start(channel_id, direction, wait=True)
        items, extra = _counted(log, counter)
        # The limiter's own total: ClientStats.limiter_wait was not fed at the time of writing.
        extra["limiter_wait"] = tracker.limiter_wait()
        return items, extra

    result = await measure(label, emu, work, options.timeout, runner.shutdown)
    if result.extra.get("failed"):
        result.note = (result.note + f" {result.extra['failed']} failed").strip()
    return result


def _runner(
    db: BenchDatabase, tracker: "ClientTracker", options: BenchOptions, bulk: BulkMode
) -> Runner:
    return Runner(
        db.sessions,
        db.box,
        db.settings,
        client_factory=tracker,
        options=RunOptions(concurrency=options.concurrency, bulk=bulk),
    )


async def bulk_push_scenario(options: BenchOptions, workdir: Path) -> list[Measurement]:
    """Initial push through the engine's bulk path (staged JSONL + bulkOperationRunMutation),
    then a push of every entity edited: productSet lines, then the variant fields' lines."""
    results: list[Measurement] = []
    async with bench_emulator(options, 0, past_clock()) as emu:
        db = await open_database(str(workdir / "bulk-push.db"), emu.base_url)
        print(f"  seeding {options.n} entities ...", flush=True)
        ids = await seed_entities(db, options.n, options.seed)
        channel_id = await db.add_channel("Bench bulk push", SHOP, TOKEN)
        tracker = ClientTracker()
        runner = _runner(db, tracker, options, BulkMode.ALWAYS)
        for label in ("initial push (bulk)", "push of every entity edited (bulk)"):
            if results:
                await edit_entities(db, ids, "(edited)")
            results.append(
                await _run(
                    label, emu, runner, tracker, channel_id, SyncDirection.PUSH, "pushed", options
                )
            )
        await runner.shutdown()
    return results


async def push_scenarios(options: BenchOptions, workdir: Path) -> list[Measurement]:
    """Initial push, unchanged re-sync, 1% changed sync against an initially empty store."""
    results: list[Measurement] = []
    clock = past_clock()
    async with bench_emulator(options, 0, clock) as emu:
        db = await open_database(str(workdir / "push.db"), emu.base_url)
        print(f"  seeding {options.n} entities ...", flush=True)
        ids = await seed_entities(db, options.n, options.seed)
        channel_id = await db.add_channel("Bench push", SHOP, TOKEN)
        tracker = ClientTracker()
        per_item = _runner(db, tracker, options, BulkMode.NEVER)
        results.append(
            await _run(
                "initial push (per-item)",
                emu,
                per_item,
                tracker,
                channel_id,
                SyncDirection.PUSH,
                "pushed",
                options,
            )
        )
        await per_item.shutdown()
        # From here on the engine decides, as it does in production.
        runner = _runner(db, tracker, options, BulkMode.AUTO)
        catch_up(clock)
        results.append(
            await _run(
                "first sync after the push (reads the whole store)",
                emu,
                runner,
                tracker,
                channel_id,
                SyncDirection.BIDIRECTIONAL,
                "skipped",
                options,
            )
        )
        results.append(
            await _run(
                "unchanged re-sync (bidirectional, steady state)",
                emu,
                runner,
                tracker,
                channel_id,
                SyncDirection.BIDIRECTIONAL,
                "skipped",
                options,
            )
        )
        await edit_entities(db, ids[::100], "(edited)")
        changed = await _run(
            "1% changed sync (bidirectional)",
            emu,
            runner,
            tracker,
            channel_id,
            SyncDirection.BIDIRECTIONAL,
            "pushed",
            options,
        )
        changed.note = (changed.note + f" {len(ids[::100])} edited").strip()
        results.append(changed)
        await runner.shutdown()
    return results


async def pull_scenarios(options: BenchOptions, workdir: Path) -> list[Measurement]:
    """Initial and incremental pull of an N-product store into a fresh database."""
    results: list[Measurement] = []
    print(f"  seeding an emulator store with {options.n} products ...", flush=True)
    clock = past_clock()
    async with bench_emulator(options, options.n, clock) as emu:
        catch_up(clock)
        db: BenchDatabase = await open_database(str(workdir / "pull.db"), emu.base_url)
        channel_id = await db.add_channel("Bench pull", SHOP, TOKEN)
        tracker = ClientTracker()
        if not options.skip_paged_pull:
            paged = _runner(db, tracker, options, BulkMode.NEVER)
            results.append(
                await _run(
                    "initial pull (paged)",
                    emu,
                    paged,
                    tracker,
                    channel_id,
                    SyncDirection.PULL,
                    "pulled",
                    options,
                )
            )
            await paged.shutdown()
        bulk_channel = await db.add_channel("Bench pull bulk", SHOP, TOKEN)
        runner = _runner(db, tracker, options, BulkMode.AUTO)
        for label, channel, counter in (
            ("initial pull (bulk)", bulk_channel, "pulled"),
            ("incremental pull (no changes)", bulk_channel, "skipped"),
        ):
            results.append(
                await _run(
                    label, emu, runner, tracker, channel, SyncDirection.PULL, counter, options
                )
            )
        await runner.shutdown()
    return results


async def engine_scenarios(options: BenchOptions) -> list[Measurement]:
    with tempfile.TemporaryDirectory(prefix="sigma-bench-") as workdir:
        results: list[Measurement] = []
        if options.only in (None, "push"):
            results += await push_scenarios(options, Path(workdir))
        if options.only in (None, "push", "bulk-push"):
            results += await bulk_push_scenario(options, Path(workdir))
        if options.only in (None, "pull"):
            results += await pull_scenarios(options, Path(workdir))
    return results
