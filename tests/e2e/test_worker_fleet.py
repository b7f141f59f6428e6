"""Issue 13's "Done when" on PostgreSQL: two API processes and three workers, 20 channels on an
emulator store, runs fired from both APIs and from schedules, one worker killed with kill -9
mid-run."""

import asyncio
import itertools
import socket
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from db.models import Entity
from emulator.runner import run_emulator
from sync.identity import IDENTITY_KEY, IDENTITY_NAMESPACE
from tests.helpers.fleet import (
    logs,
    make_due,
    make_fleet,
    next_sync_at,
    push,
    set_prices,
    set_schedule,
)
from tests.helpers.processes import (
    processes,
    service_env,
    start_api,
    start_worker,
    workers_ready,
)
from tests.helpers.stack import SHOP, SHOP_TOKEN

CHANNELS = 20
PER_CHANNEL = 3
STALLED_AFTER = 5.0
SCHEDULED = 6


async def _all_logs(api: str, channels: list[str]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for channel_id in channels:
        for log in await logs(api, channel_id):
            found.append({**log, "channel": channel_id})
    return found


async def _until_idle(api: str, channels: list[str], timeout: float) -> list[dict[str, Any]]:
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = await _all_logs(api, channels)
        if all(log["status"] != "RUNNING" for log in found):
            return found
        assert asyncio.get_running_loop().time() < deadline, [
            log for log in found if log["status"] == "RUNNING"
        ]
        await asyncio.sleep(0.25)


async def _running_on(sessions: SessionFactory, owner: str, timeout: float) -> str:
    """A run the worker `owner` is executing, read straight from the database (fast enough to
    catch a run of a second or two, which polling 20 channels over HTTP is not)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with sessions() as session:
            found = await session.execute(
                text(
                    "SELECT id FROM sync_log WHERE status = 'RUNNING' "
                    "AND details->>'worker' = :owner AND phase <> 'STARTING'"
                ),
                {"owner": owner},
            )
            log_id = found.scalar()
        if log_id:
            return str(log_id)
        await asyncio.sleep(0.02)
    raise AssertionError(f"no run started on {owner}")


async def _scheduled_syncs(api: str, channels: list[str], timeout: float) -> list[dict[str, Any]]:
    """The finished BIDIRECTIONAL run of each channel (only schedules start those here)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        found = [
            log for log in await _all_logs(api, channels) if log["direction"] == "BIDIRECTIONAL"
        ]
        finished = [log for log in found if log["status"] != "RUNNING"]
        if {log["channel"] for log in finished} == set(channels):
            return finished
        assert asyncio.get_running_loop().time() < deadline, found
        await asyncio.sleep(0.25)


def _assert_one_run_at_a_time(found: list[dict[str, Any]]) -> None:
    by_channel: dict[str, list[dict[str, Any]]] = {}
    for log in found:
        by_channel.setdefault(log["channel"], []).append(log)
    for channel_logs in by_channel.values():
        ordered = sorted(channel_logs, key=lambda log: datetime.fromisoformat(log["startedAt"]))
        for earlier, later in itertools.pairwise(ordered):
            ended = datetime.fromisoformat(earlier["completedAt"])
            assert ended <= datetime.fromisoformat(later["startedAt"]), (earlier, later)


async def test_two_apis_three_workers_one_killed_mid_run(postgres_url: str, tmp_path: Path) -> None:
    engine = create_engine(postgres_url)
    await apply_migrations(engine)
    sessions = session_factory(engine)
    try:
        async with (
            run_emulator(shop=SHOP, token=SHOP_TOKEN, products=0, seed=3) as emulator,
            processes() as started,
        ):
            env = service_env(postgres_url, emulator.base_url)
            workers = [
                await start_worker(f"worker{n}", env, tmp_path, stalled_after=STALLED_AFTER)
                for n in range(3)
            ]
            started.extend(workers)
            (api1, url1), (api2, url2) = await asyncio.gather(
                start_api("api1", env, tmp_path), start_api("api2", env, tmp_path)
            )
            started += [api1, api2]
            fleet = await make_fleet(url1, sessions, CHANNELS, PER_CHANNEL)
            await workers_ready(sessions, len(workers), timeout=180)
            apis = [url1, url2]
            # Slow enough that a run is still going when its worker dies.
            emulator.faults.configure(latency=0.25)

            # Every channel is asked twice, from each API: one run starts, the other request
            # is refused while it goes on (or starts after it).
            first = await asyncio.gather(
                *[push(apis[n % 2], c) for n, c in enumerate(fleet.channels)],
                *[push(apis[(n + 1) % 2], c) for n, c in enumerate(fleet.channels)],
            )
            for payload in first:
                codes = [e["code"] for e in payload["userErrors"]]
                assert codes in ([], ["SYNC_IN_PROGRESS"]), payload

            victim = workers[0]
            owner = f"{socket.gethostname()}:{victim.proc.pid}"
            killed_log = await _running_on(sessions, owner, timeout=60)
            victim.kill()
            await victim.wait()
            emulator.faults.configure(latency=0.0)

            found = await _until_idle(url2, fleet.channels, timeout=60)
            for log in found:
                assert log["status"] in ("SUCCESS", "FAILED"), log
                if log["status"] == "FAILED":
                    assert log["errors"] and log["errors"][0]["message"], log
            killed = next(log for log in found if log["id"] == killed_log)
            assert killed["status"] == "FAILED"
            assert "stopped sending heartbeats" in killed["errors"][0]["message"], killed
            successor = next(log for log in found if log["details"].get("retryOf") == killed_log)
            assert successor["status"] == "SUCCESS", successor
            assert successor["details"]["worker"] != owner

            # Every entity edit reaches its store, runs asked from both APIs with wait: true.
            await set_prices(sessions, fleet, "12.34")
            second = await asyncio.gather(
                *[push(apis[n % 2], c, wait=True) for n, c in enumerate(fleet.channels)]
            )
            for payload in second:
                assert payload["userErrors"] == [], payload
                assert payload["syncLog"]["status"] == "SUCCESS", payload
            assert {v.price for p in emulator.store.products.values() for v in p.variants} == {
                "12.34"
            }

            # Runs from schedules: the workers' tick fires every due channel once; half of them
            # are pushed from an API at the same moment, so there the schedule meets a run
            # going on (skipped) or follows it. (A few channels: their first pulls read the
            # whole shared store, one bulk operation at a time.)
            scheduled = fleet.channels[:SCHEDULED]
            for n, channel_id in enumerate(scheduled):
                await set_schedule(apis[n % 2], channel_id, "every 1h")
            await set_prices(sessions, fleet, "56.78", scheduled)
            await make_due(sessions, scheduled)
            await asyncio.gather(*[push(url1, c) for c in scheduled[::2]])
            synced = await _scheduled_syncs(url2, scheduled[1::2], timeout=60)
            assert {log["status"] for log in synced} == {"SUCCESS"}, synced

            found = await _until_idle(url1, fleet.channels, timeout=30)
            _assert_one_run_at_a_time(found)
            products = list(emulator.store.products.values())
            identities = [
                mf.value
                for product in products
                for mf in product.metafields
                if (mf.namespace, mf.key) == (IDENTITY_NAMESPACE, IDENTITY_KEY)
            ]
            expected = sorted(i for ids in fleet.entities.values() for i in ids)
            assert sorted(identities) == expected  # each entity once: no duplicate product
            assert len(products) == CHANNELS * PER_CHANNEL
            # Titles are "Item <channel number>-<n>": the scheduled channels' edits are in.
            prices = {p.title: {v.price for v in p.variants} for p in products}
            stale = sorted(
                title
                for title, found in prices.items()
                if found
                != {"56.78" if int(title.split()[1].split("-")[0]) < SCHEDULED else "12.34"}
            )
            assert stale == [], stale  # no edit lost, none overwritten by another channel's pull
            async with sessions() as session:
                count = await session.scalar(select(func.count()).select_from(Entity))
            assert count == CHANNELS * PER_CHANNEL  # no channel pulled another's products in
            for channel_id in scheduled:  # each run time fired once and moved on
                nxt = await next_sync_at(url1, channel_id)
                assert nxt is not None and nxt > datetime.now(UTC) + timedelta(minutes=50)
    finally:
        await engine.dispose()
