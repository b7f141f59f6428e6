"""Sync logs: one row per run; the RUNNING row doubles as the per-channel run lock, leased to
the process running it (db.leases)."""

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.engine import SessionFactory
from db.enums import SyncDirection, SyncPhase, SyncStatus
from db.errors import SyncInProgress
from db.leases import LeaseToken, fail_expired, lease_columns, write_log
from db.models import SyncLog
from db.pagination import Page, paginate
from db.process_owner import ProcessOwner

# A run renews its lease every HEARTBEAT (sync.lease); one that stops renewing for LEASE (a
# crash, a stall) loses its channel to the next run asked for (db.leases).
HEARTBEAT = timedelta(seconds=5)
LEASE = timedelta(seconds=60)


async def start_run(
    session: AsyncSession,
    channel_id: str,
    direction: SyncDirection,
    owner: ProcessOwner | str,
    lease: timedelta = LEASE,
    attempts: int = 3,
) -> SyncLog:
    """Insert the RUNNING log, leased to `owner` with epoch 1; the partial unique index refuses
    a second one for the channel, across processes too. A RUNNING log whose lease expired is
    closed first."""
    log = SyncLog(
        channel_id=channel_id, direction=direction.value, **lease_columns(owner, lease, 1)
    )
    session.add(log)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        running = await running_log(session, channel_id)
        if attempts > 1 and (running is None or await fail_expired(session, channel_id)):
            return await start_run(session, channel_id, direction, owner, lease, attempts - 1)
        if running is None:
            raise
        raise SyncInProgress(running) from None
    return log


async def running_log(session: AsyncSession, channel_id: str) -> SyncLog | None:
    rows = await session.execute(
        select(SyncLog).where(
            col(SyncLog.channel_id) == channel_id, col(SyncLog.status) == SyncStatus.RUNNING.value
        )
    )
    return rows.scalars().first()


async def get_log(session: AsyncSession, log_id: str) -> SyncLog | None:
    return await session.get(SyncLog, log_id)


async def list_logs(
    session: AsyncSession,
    channel_id: str,
    status: SyncStatus | None,
    first: int | None,
    after: str | None,
    count: bool = True,
) -> Page[SyncLog]:
    query = select(SyncLog).where(col(SyncLog.channel_id) == channel_id)
    if status is not None:
        query = query.where(col(SyncLog.status) == status.value)
    return await paginate(session, query, SyncLog.id, first, after, newest_first=True, count=count)


async def save_progress(
    session: AsyncSession,
    token: LeaseToken,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
    **final: Any,
) -> None:
    """Counters and errors so far (and, from finish_run, the final status), only while the run
    holds its lease (LeaseLost otherwise); the caller commits."""
    await write_log(session, token, **counters, errors=errors, details=details, **final)


async def finish_run(
    session: AsyncSession,
    token: LeaseToken,
    status: SyncStatus,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
    **progress: Any,
) -> None:
    """The final counters; `progress` holds the run's last `total` and `bulk_operation_id`.
    Commits."""
    await save_progress(
        session,
        token,
        counters,
        errors,
        details,
        status=status.value,
        completed_at=utcnow(),
        **{**progress, "phase": SyncPhase.DONE.value},
    )
    await session.commit()


async def wait_finished(sessions: SessionFactory, log_id: str, poll: float) -> SyncLog:
    """The log once it is no longer RUNNING (a run another process executes)."""
    while True:
        async with sessions() as session:
            current = await get_log(session, log_id)
        assert current is not None
        if current.status != SyncStatus.RUNNING:
            return current
        await asyncio.sleep(poll)
