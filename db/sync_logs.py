"""Sync logs: one row per run; the RUNNING row doubles as the per-channel run lock."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.models import SyncDirection, SyncLog, SyncStatus
from db.pagination import Page, paginate

INTERRUPTED = "the run was interrupted by a server stop before it finished"


class SyncInProgress(Exception):
    def __init__(self, running: SyncLog) -> None:
        super().__init__(f"a sync of channel {running.channel_id} is running already")
        self.running = running


async def start_run(session: AsyncSession, channel_id: str, direction: SyncDirection) -> SyncLog:
    """Insert the RUNNING log; the partial unique index refuses a second one for the channel."""
    log = SyncLog(channel_id=channel_id, direction=direction.value)
    session.add(log)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        running = await running_log(session, channel_id)
        if running is None:  # it finished between our insert and this read: try once more
            return await start_run(session, channel_id, direction)
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
) -> Page[SyncLog]:
    query = select(SyncLog).where(col(SyncLog.channel_id) == channel_id)
    if status is not None:
        query = query.where(col(SyncLog.status) == status.value)
    return await paginate(session, query, SyncLog.id, first, after, newest_first=True)


async def save_progress(
    session: AsyncSession,
    log_id: str,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
) -> None:
    await session.execute(
        update(SyncLog)
        .where(col(SyncLog.id) == log_id)
        .values(**counters, errors=errors, details=details)
    )
    await session.commit()


async def finish_run(
    session: AsyncSession,
    log_id: str,
    status: SyncStatus,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
) -> None:
    await session.execute(
        update(SyncLog)
        .where(col(SyncLog.id) == log_id)
        .values(
            **counters, errors=errors, details=details, status=status.value, completed_at=utcnow()
        )
    )
    await session.commit()


async def fail_interrupted_runs(session: AsyncSession) -> int:
    """At server start: a RUNNING log has no process behind it any more (one server process)."""
    result = await session.execute(
        update(SyncLog)
        .where(col(SyncLog.status) == SyncStatus.RUNNING.value)
        .values(
            status=SyncStatus.FAILED.value,
            completed_at=utcnow(),
            errors=[{"message": INTERRUPTED}],
        )
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
