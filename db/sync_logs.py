"""Sync logs: one row per run; the RUNNING row doubles as the per-channel run lock."""

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.errors import SyncInProgress
from db.models import SyncDirection, SyncLog, SyncPhase, SyncStatus
from db.pagination import Page, paginate

INTERRUPTED = "the run was interrupted by a server stop before it finished"


# A running process writes its heartbeat every HEARTBEAT seconds; after STALE without one, the
# run's process is taken for dead.
HEARTBEAT = timedelta(seconds=5)
STALE = timedelta(seconds=60)


async def start_run(
    session: AsyncSession, channel_id: str, direction: SyncDirection, attempts: int = 3
) -> SyncLog:
    """Insert the RUNNING log; the partial unique index refuses a second one for the channel,
    across processes too. A RUNNING log left by a dead process is closed first."""
    now = utcnow()
    log = SyncLog(channel_id=channel_id, direction=direction.value, heartbeat_at=now)
    session.add(log)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        running = await running_log(session, channel_id)
        if attempts > 1 and (running is None or await fail_stale_runs(session, channel_id)):
            return await start_run(session, channel_id, direction, attempts - 1)
        if running is None:
            raise
        raise SyncInProgress(running) from None
    return log


async def beat(session: AsyncSession, log_id: str) -> None:
    await session.execute(
        update(SyncLog).where(col(SyncLog.id) == log_id).values(heartbeat_at=utcnow())
    )
    await session.commit()


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
    log_id: str,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
    **final: Any,
) -> None:
    """Counters and errors so far (and, from finish_run, the final status)."""
    await session.execute(
        update(SyncLog)
        .where(col(SyncLog.id) == log_id)
        .values(**counters, errors=errors, details=details, heartbeat_at=utcnow(), **final)
    )
    await session.commit()


async def finish_run(
    session: AsyncSession,
    log_id: str,
    status: SyncStatus,
    counters: dict[str, int],
    errors: list[dict[str, Any]],
    details: dict[str, Any],
    **progress: Any,
) -> None:
    """The final counters; `progress` holds the run's last `total` and `bulk_operation_id`."""
    await save_progress(
        session,
        log_id,
        counters,
        errors,
        details,
        status=status.value,
        completed_at=utcnow(),
        **{**progress, "phase": SyncPhase.DONE.value},
    )


async def fail_stale_runs(session: AsyncSession, channel_id: str | None = None) -> int:
    """Close RUNNING logs whose process stopped beating (a crash or a stop mid-run)."""
    cutoff = utcnow() - STALE
    heartbeat = func.coalesce(col(SyncLog.heartbeat_at), col(SyncLog.started_at))
    query = update(SyncLog).where(
        col(SyncLog.status) == SyncStatus.RUNNING.value, heartbeat < cutoff
    )
    if channel_id is not None:
        query = query.where(col(SyncLog.channel_id) == channel_id)
    result = await session.execute(
        query.values(
            status=SyncStatus.FAILED.value,
            completed_at=utcnow(),
            phase=SyncPhase.DONE.value,
            errors=[{"message": INTERRUPTED}],
        )
    )
    await session.commit()
    return int(getattr(result, "rowcount", 0) or 0)
