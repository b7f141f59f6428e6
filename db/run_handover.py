"""A queued run whose worker died or shut down continues as a new log of the same job: the old
log ends FAILED naming its successor, the successor is RUNNING with `details.retryOf` and
`details.jobId` (docs/architecture.md, "Runs on workers")."""

from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.enums import SyncPhase, SyncStatus
from db.leases import LeaseToken, held, lease_columns
from db.models import SyncLog
from db.process_owner import ProcessOwner

# A queued log's lease holder until a worker claims it: no process (release_orphans leaves it
# alone), and a lease long enough to wait for a free worker.
QUEUE_OWNER = "queue"
QUEUED_LEASE = timedelta(hours=1)
CANCELLED = "the run was cancelled by a server shutdown"
# Endings after which the job's work is not done: a worker's shutdown and the lease sweeps
# ("the run was interrupted: ..."). Any other ending (SUCCESS, PARTIAL, a Shopify failure) is
# final.
INTERRUPTED_PREFIX = "the run was interrupted"
# How many of a channel's newest logs are searched for a job's current log.
_WINDOW = 50


def _first_message(log: SyncLog) -> str:
    errors: list[dict[str, Any]] = log.errors or []
    return str(errors[0].get("message", "")) if errors else ""


async def current_log(
    session: AsyncSession, channel_id: str, first_log_id: str, job_id: int
) -> SyncLog | None:
    """The newest log job `job_id` worked on: its first log or one of its successors."""
    rows = await session.execute(
        select(SyncLog)
        .where(col(SyncLog.channel_id) == channel_id, col(SyncLog.id) >= first_log_id)
        .order_by(col(SyncLog.id).desc())
        .limit(_WINDOW)
    )
    for log in rows.scalars():
        if log.id == first_log_id or (log.details or {}).get("jobId") == job_id:
            return log
    return None


async def continue_run(
    session: AsyncSession, log: SyncLog, job_id: int, reason: str
) -> SyncLog | None:
    """Ends `log` FAILED with `reason` and starts its successor, in one transaction; None when
    the log is final already or another run of the channel holds the RUNNING slot."""
    first = _first_message(log)
    resumable = first == CANCELLED or first.startswith(INTERRUPTED_PREFIX)
    if log.status != SyncStatus.RUNNING and not resumable:
        return None
    now = utcnow()  # the old run ends when its successor starts, not a moment after
    successor = SyncLog(
        channel_id=log.channel_id,
        direction=log.direction,
        started_at=now,
        details={"retryOf": log.id, "jobId": job_id},
        **lease_columns(QUEUE_OWNER, QUEUED_LEASE, 1),
    )
    message = f"{reason}; the run continues as sync log {successor.id}"
    errors = [{"message": message}, *(log.errors or [])]
    closed = await session.execute(
        update(SyncLog)
        .where(col(SyncLog.id) == log.id, col(SyncLog.status) == log.status)
        .values(
            status=SyncStatus.FAILED.value,
            completed_at=log.completed_at or now,
            phase=SyncPhase.DONE.value,
            errors=errors,
        )
    )
    if not getattr(closed, "rowcount", 0):
        # Someone else (another worker's recovery) changed it first.
        await session.rollback()
        return None
    session.add(successor)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        return None
    return successor


async def claim(
    session: AsyncSession, log_id: str, owner: ProcessOwner | str, duration: timedelta
) -> LeaseToken | None:
    """A worker takes a queued RUNNING log with the next lease epoch (the job system already
    gave it the channel's lock); None when the log is no longer RUNNING. Commits."""
    epoch = await session.scalar(
        select(col(SyncLog.lease_epoch)).where(
            col(SyncLog.id) == log_id, col(SyncLog.status) == SyncStatus.RUNNING.value
        )
    )
    if epoch is None:
        return None
    result = await session.execute(
        update(SyncLog)
        .where(held(LeaseToken(log_id, epoch)))
        .values(**lease_columns(owner, duration, epoch + 1))
    )
    await session.commit()
    return LeaseToken(log_id, epoch + 1) if getattr(result, "rowcount", 0) else None
