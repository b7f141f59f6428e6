"""Firing scheduled syncs on SQLite and PostgreSQL, with the clock passed in: due channels start
once, a channel with a run going on is skipped (not queued), two firers never both start one."""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from db.channels import claim_scheduled_run, mark_reconciled
from db.engine import SessionFactory, create_engine, session_factory
from db.enums import SyncDirection
from db.models import Channel, SyncLog
from db.sync_logs import start_run
from sync.schedules import fire_due
from tests.helpers.schedules import RecordingStart, gated_after_first_read, scheduled_channel

T = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


async def _next_at(sessions: SessionFactory, channel_id: str) -> datetime | None:
    async with sessions() as session:
        channel = await session.get(Channel, channel_id)
        assert channel is not None
        return channel.next_sync_at


async def _logs(sessions: SessionFactory) -> int:
    async with sessions() as session:
        return int((await session.execute(select(func.count()).select_from(SyncLog))).scalar_one())


async def test_a_due_channel_starts_once_and_its_next_time_advances(
    sessions: SessionFactory,
) -> None:
    channel_id = await scheduled_channel(sessions, "every 15m", T)
    idle = await scheduled_channel(sessions, "every 15m", T + timedelta(minutes=5), "later")
    unscheduled = await scheduled_channel(sessions, "every 15m", T, "off")
    async with sessions() as session:
        off = await session.get(Channel, unscheduled)
        assert off is not None
        off.sync_schedule, off.next_sync_at = None, None
        await session.commit()
    start = RecordingStart(sessions)

    early = await fire_due(sessions, start, T - timedelta(seconds=1))
    assert start.calls == [] and early.started == {}

    fired = await fire_due(sessions, start, T + timedelta(seconds=3))
    assert start.calls == [(channel_id, SyncDirection.BIDIRECTIONAL)]
    assert list(fired.started) == [channel_id]
    assert await _next_at(sessions, channel_id) == T + timedelta(minutes=15)
    assert await _next_at(sessions, idle) == T + timedelta(minutes=5)

    # The same moment again: nothing is due any more.
    again = await fire_due(sessions, start, T + timedelta(seconds=4))
    assert len(start.calls) == 1 and again.started == {}


async def test_a_channel_with_a_run_going_on_is_skipped_not_queued(
    sessions: SessionFactory, caplog: pytest.LogCaptureFixture
) -> None:
    channel_id = await scheduled_channel(sessions, "*/10 * * * *", T)
    async with sessions() as session:
        running = await start_run(session, channel_id, SyncDirection.PUSH, "test-runner")
    start = RecordingStart(sessions)

    with caplog.at_level(logging.INFO, logger="sigma.schedules"):
        fired = await fire_due(sessions, start, T + timedelta(seconds=2))

    assert fired.skipped == [channel_id] and fired.started == {}
    assert await _logs(sessions) == 1  # no second log waiting behind the running one
    assert await _next_at(sessions, channel_id) == T + timedelta(minutes=10)
    [record] = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert record.__dict__["channel_id"] == channel_id
    assert record.__dict__["log_id"] == running.id

    # The skipped time is not fired later either: only the next one is.
    later = await fire_due(sessions, start, T + timedelta(minutes=5))
    assert later.started == {} and later.skipped == []


async def test_a_channel_that_cannot_start_still_moves_on(sessions: SessionFactory) -> None:
    channel_id = await scheduled_channel(sessions, "every 1h", T)

    async def refuse(_: str, __: SyncDirection, ___: bool) -> SyncLog:
        raise RuntimeError("the queue is down")

    fired = await fire_due(sessions, refuse, T)
    assert fired.refused == {channel_id: "unexpected error"}
    assert await _next_at(sessions, channel_id) == T + timedelta(hours=1)


async def test_only_one_of_two_claims_of_the_same_run_time_wins(sessions: SessionFactory) -> None:
    channel_id = await scheduled_channel(sessions, "every 15m", T)
    nxt = T + timedelta(minutes=15)
    async with sessions() as first, sessions() as second:
        won = await asyncio.gather(
            claim_scheduled_run(first, channel_id, T, nxt),
            claim_scheduled_run(second, channel_id, T, nxt),
        )
    assert sorted(won) == [False, True]


async def test_two_firers_reading_the_same_due_channels_start_each_once(
    database_url: str, sessions: SessionFactory
) -> None:
    channels = [await scheduled_channel(sessions, "every 5m", T, f"c{i}") for i in range(12)]
    # A second engine: another process sharing the database.
    other_engine = create_engine(database_url)
    other = session_factory(other_engine)
    barrier = asyncio.Barrier(2)
    start = RecordingStart(sessions)
    try:
        one, two = await asyncio.gather(
            fire_due(gated_after_first_read(sessions, barrier), start, T + timedelta(seconds=1)),
            fire_due(gated_after_first_read(other, barrier), start, T + timedelta(seconds=1)),
        )
    finally:
        await other_engine.dispose()
    assert sorted(cid for cid, _ in start.calls) == sorted(channels)
    assert sorted([*one.started, *two.started]) == sorted(channels)
    # Both read all twelve; each lost the ones the other claimed first.
    assert sorted([*one.lost, *two.lost]) == sorted(channels)
    assert one.skipped == two.skipped == []
    assert await _logs(sessions) == 12


async def test_a_scheduled_sync_reconciles_once_its_last_reconciliation_is_old(
    sessions: SessionFactory,
) -> None:
    never = await scheduled_channel(sessions, "every 5m", T, "never")
    recent = await scheduled_channel(sessions, "every 5m", T, "recent")
    old = await scheduled_channel(sessions, "every 5m", T, "old")
    async with sessions() as session:
        await mark_reconciled(session, recent, T - timedelta(hours=3))
        await mark_reconciled(session, old, T - timedelta(hours=25))
        await session.commit()
    start = RecordingStart(sessions)

    await fire_due(sessions, start, T, reconcile_every=timedelta(hours=24))
    assert start.reconciles == {never: True, recent: False, old: True}

    # Reconciliation turned off (SIGMA_RECONCILE_HOURS=0): no run reconciles.
    off = RecordingStart(sessions)
    await fire_due(sessions, off, T + timedelta(minutes=5), reconcile_every=None)
    assert off.reconciles == {never: False, recent: False, old: False}
