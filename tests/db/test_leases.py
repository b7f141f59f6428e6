"""Fenced runs on SQLite and PostgreSQL: once another process has taken a run's lease, every
write of the old holder is refused in the same transaction and nothing of it is committed."""

import asyncio
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from db.clock import utcnow
from db.engine import SessionFactory
from db.enums import SyncDirection, SyncStatus
from db.leases import LeaseLost, LeaseToken, adopt, fail_expired, release_orphans
from db.models import Channel, SyncLog, SyncMapping
from db.process_owner import ProcessOwner, current_owner
from db.settings import load_settings
from db.sync_logs import finish_run, save_progress, start_run
from db.sync_mappings import write_mappings
from sync.lease import RunLease

LEASE = timedelta(seconds=30)


async def _channel(sessions: SessionFactory) -> str:
    async with sessions() as session:
        channel = Channel(name="c", shop_domain="c.myshopify.com")
        session.add(channel)
        await session.commit()
        return channel.id


async def _start(sessions: SessionFactory, channel_id: str, owner: str) -> SyncLog:
    async with sessions() as session:
        return await start_run(session, channel_id, SyncDirection.PUSH, owner, LEASE)


async def _expire(sessions: SessionFactory, log_id: str) -> None:
    """What LEASE seconds without a renewal leave behind (the holder is stalled)."""
    async with sessions() as session:
        await session.execute(
            update(SyncLog)
            .where(col(SyncLog.id) == log_id)
            .values(lease_expires_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()


async def _log(sessions: SessionFactory, log_id: str) -> SyncLog:
    async with sessions() as session:
        row = await session.get(SyncLog, log_id)
        assert row is not None
        return row


def _mapping(channel_id: str, entity: str, product: str) -> SyncMapping:
    return SyncMapping(channel_id=channel_id, entity_id=entity, external_id=product)


async def _mappings(sessions: SessionFactory, channel_id: str) -> list[tuple[str, str]]:
    async with sessions() as session:
        rows = await session.execute(
            select(col(SyncMapping.entity_id), col(SyncMapping.external_id))
            .where(col(SyncMapping.channel_id) == channel_id)
            .order_by(col(SyncMapping.entity_id))
        )
        return [(entity, product) for entity, product in rows.all()]


async def test_a_takeover_turns_the_old_holders_writes_into_nothing(
    sessions: SessionFactory,
) -> None:
    channel_id = await _channel(sessions)
    old = await _start(sessions, channel_id, "old")
    stopped: list[str] = []
    old_lease = RunLease(sessions, LeaseToken(old.id, old.lease_epoch), LEASE, stopped.append)
    async with old_lease.sessions() as session:
        await write_mappings(session, [_mapping(channel_id, "e1", "p1")], [])
        await session.commit()

    await _expire(sessions, old.id)
    new = await _start(sessions, channel_id, "new")  # fails the expired log, then starts
    assert (await _log(sessions, old.id)).status == "FAILED"
    new_lease = RunLease(sessions, LeaseToken(new.id, new.lease_epoch), LEASE)
    async with new_lease.sessions() as session:
        await write_mappings(session, [_mapping(channel_id, "e2", "p2")], [])
        await session.commit()

    # The stalled holder wakes: its mapping write, progress and finish are all refused.
    async with old_lease.sessions() as session:
        with pytest.raises(LeaseLost):
            await write_mappings(session, [_mapping(channel_id, "e2", "p2-again")], [])
    assert old_lease.lost is not None and len(stopped) == 1
    with pytest.raises(LeaseLost):
        old_lease.check()
    async with sessions() as session:
        with pytest.raises(LeaseLost):
            await save_progress(session, old_lease.token, {"pushed": 99}, [], {})
    async with sessions() as session:
        with pytest.raises(LeaseLost):
            await finish_run(session, old_lease.token, SyncStatus.SUCCESS, {}, [], {})

    closed = await _log(sessions, old.id)
    assert (closed.status, closed.pushed) == ("FAILED", 0)
    assert "interrupted" in closed.errors[0]["message"]
    assert (await _log(sessions, new.id)).status == "RUNNING"
    assert await _mappings(sessions, channel_id) == [("e1", "p1"), ("e2", "p2")]


async def test_a_fenced_write_and_a_takeover_are_serialized(sessions: SessionFactory) -> None:
    """The fence renews the lease in the writer's transaction and holds the row: a takeover
    that comes meanwhile waits, then finds the lease renewed and leaves it alone."""
    channel_id = await _channel(sessions)
    started = await _start(sessions, channel_id, "holder")
    lease = RunLease(sessions, LeaseToken(started.id, started.lease_epoch), LEASE)
    await _expire(sessions, started.id)
    async with lease.sessions() as session:
        await write_mappings(session, [_mapping(channel_id, "e1", "p1")], [])
        async with sessions() as other:
            takeover = asyncio.create_task(fail_expired(other, channel_id))
            await asyncio.sleep(0.3)
            assert not takeover.done()  # waiting for the writer's row lock
            await session.commit()
            assert await takeover == 0
    assert (await _log(sessions, started.id)).status == "RUNNING"
    assert await _mappings(sessions, channel_id) == [("e1", "p1")]


async def test_an_adopted_log_fences_out_the_previous_epoch(sessions: SessionFactory) -> None:
    channel_id = await _channel(sessions)
    started = await _start(sessions, channel_id, "first")
    async with sessions() as session:
        assert await adopt(session, started.id, "second", LEASE) is None  # still held
    await _expire(sessions, started.id)
    async with sessions() as session:
        token = await adopt(session, started.id, "second", LEASE)
    assert token == LeaseToken(started.id, 2)
    first = RunLease(sessions, LeaseToken(started.id, 1), LEASE)
    second = RunLease(sessions, token, LEASE)
    async with first.sessions() as session:
        with pytest.raises(LeaseLost):
            await write_mappings(session, [_mapping(channel_id, "e1", "p1")], [])
    async with second.sessions() as session:
        await write_mappings(session, [_mapping(channel_id, "e1", "p2")], [])
        await session.commit()
    row = await _log(sessions, started.id)
    assert (row.status, row.lease_owner, row.lease_epoch) == ("RUNNING", "second", 2)
    assert await _mappings(sessions, channel_id) == [("e1", "p2")]


async def test_a_lease_is_trusted_locally_only_for_its_term_minus_the_margin(
    sessions: SessionFactory,
) -> None:
    channel_id = await _channel(sessions)
    started = await _start(sessions, channel_id, "holder")
    now = [100.0]
    stopped: list[str] = []
    lease = RunLease(
        sessions, LeaseToken(started.id, 1), LEASE, stopped.append, clock=lambda: now[0]
    )
    now[0] += LEASE.total_seconds() * 0.7
    lease.check()  # 21 s of 30: still ours
    await lease.renew()  # a heartbeat: trusted for another term from here
    now[0] += LEASE.total_seconds() * 0.7
    lease.check()
    now[0] += LEASE.total_seconds() * 0.1  # 24 s since the renewal: past 30 - 7.5
    with pytest.raises(LeaseLost):
        lease.check()
    assert lease.lost is not None and "renewed 24.0 s ago" in lease.lost
    assert len(stopped) == 1
    async with lease.sessions() as session:  # lost locally: no database write either
        with pytest.raises(LeaseLost):
            await write_mappings(session, [_mapping(channel_id, "e1", "p1")], [])
    assert await _mappings(sessions, channel_id) == []


async def test_a_restart_releases_the_runs_of_its_hosts_dead_processes(
    sessions: SessionFactory,
) -> None:
    me = current_owner()
    dead_pid = subprocess.Popen([sys.executable, "-c", ""])
    dead_pid.wait()
    owners = {
        "dead": ProcessOwner(me.host, me.boot, dead_pid.pid, "1"),
        "reused pid": ProcessOwner(me.host, me.boot, me.pid, "not-my-start-time"),
        "other boot": ProcessOwner(me.host, "another-boot", me.pid, me.started),
        "alive": me,
        "other host": ProcessOwner(me.host + "-elsewhere", me.boot, dead_pid.pid, "1"),
    }
    logs = {}
    for name, owner in owners.items():
        logs[name] = (await _start(sessions, await _channel_named(sessions, name), str(owner))).id
    async with sessions() as session:
        released = await release_orphans(session, me)
    assert sorted(released) == sorted(logs[n] for n in ("dead", "reused pid", "other boot"))
    for name, log_id in logs.items():
        row = await _log(sessions, log_id)
        expected = "RUNNING" if name in ("alive", "other host") else "FAILED"
        assert row.status == expected, name
        if expected == "FAILED":
            assert "no longer exists" in row.errors[0]["message"]


async def _channel_named(sessions: SessionFactory, name: str) -> str:
    async with sessions() as session:
        channel = Channel(name=name, shop_domain="c.myshopify.com")
        session.add(channel)
        await session.commit()
        return channel.id


def test_an_owner_reads_back_even_with_a_slash_in_the_host() -> None:
    owner = ProcessOwner("pod/a", "boot", 42, "123")
    assert ProcessOwner.parse(str(owner)) == owner
    assert ProcessOwner.parse("written by something else") is None


async def test_a_log_without_lease_columns_is_stale_after_a_minute(
    sessions: SessionFactory,
) -> None:
    channel_id = await _channel(sessions)
    async with sessions() as session:
        legacy = SyncLog(
            channel_id=channel_id,
            direction="PUSH",
            started_at=utcnow() - timedelta(minutes=2),
            heartbeat_at=utcnow() - timedelta(seconds=30),
        )
        session.add(legacy)
        await session.commit()
        assert await fail_expired(session) == 0
        await session.execute(update(SyncLog).values(heartbeat_at=utcnow() - timedelta(seconds=61)))
        await session.commit()
        assert await fail_expired(session) == 1


async def test_a_holder_frozen_inside_its_write_does_not_block_the_takeover_for_long(
    pg_sessions: SessionFactory,
) -> None:
    """PostgreSQL only: SQLite's write lock is a file lock that a stopped process keeps."""
    sessions = pg_sessions
    channel_id = await _channel(sessions)
    short = timedelta(seconds=1)
    async with sessions() as session:
        started = await start_run(session, channel_id, SyncDirection.PUSH, "holder", short)
    lease = RunLease(sessions, LeaseToken(started.id, 1), short)
    loop = asyncio.get_running_loop()
    async with lease.sessions() as frozen:
        await write_mappings(frozen, [_mapping(channel_id, "e1", "p1")], [])
        began = loop.time()
        await asyncio.sleep(1.2)  # the holder stops here, holding the log row
        async with sessions() as other:
            assert await fail_expired(other, channel_id) == 1
        assert loop.time() - began < 5
        with pytest.raises(DBAPIError):  # PostgreSQL ended the frozen session
            await frozen.commit()
    assert (await _log(sessions, started.id)).status == "FAILED"
    assert await _mappings(sessions, channel_id) == []


def test_the_lease_is_configured_in_seconds(tmp_path: Path) -> None:
    assert load_settings({}, cwd=tmp_path).run_lease == 60.0
    assert load_settings({"SIGMA_RUN_LEASE_SECONDS": "2.5"}, cwd=tmp_path).run_lease == 2.5
    for bad in ("0", "-1", "nan"):
        with pytest.raises(ValueError, match="SIGMA_RUN_LEASE_SECONDS"):
            load_settings({"SIGMA_RUN_LEASE_SECONDS": bad}, cwd=tmp_path)
