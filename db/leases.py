"""Run leases: the RUNNING sync log is the lease on its channel, fenced by an epoch.

A run holds its log's lease while `status = 'RUNNING'` and `lease_epoch` equals the epoch it
started (or adopted) with. Every write of the run first executes `fence()`, an UPDATE of the log
row conditioned on both, in the same transaction as the write: when another process has failed
the log (its lease expired) or adopted it (the epoch moved), the UPDATE matches no row and the
write raises LeaseLost instead of happening. On PostgreSQL the UPDATE also locks the row until
the transaction ends, so a takeover waits for a fenced write in progress and then sees its
renewed expiry (docs/architecture.md, "Runs").
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.clock import utcnow
from db.enums import SyncPhase, SyncStatus
from db.models import SyncLog
from db.process_owner import ProcessOwner, is_gone

# Logs written before leases existed have no expiry: stale after this long without a heartbeat.
LEGACY_STALE = timedelta(seconds=60)
INTERRUPTED = "the run was interrupted: its process stopped renewing its lease before it finished"


class LeaseLost(Exception):
    """The run no longer holds its log's lease: it must stop without writing anything more."""


@dataclass(frozen=True)
class LeaseToken:
    log_id: str
    epoch: int


def held(token: LeaseToken) -> Any:
    """The WHERE clause of every write to a run's own log."""
    return and_(
        col(SyncLog.id) == token.log_id,
        col(SyncLog.status) == SyncStatus.RUNNING.value,
        col(SyncLog.lease_epoch) == token.epoch,
    )


def expired(now: datetime) -> Any:
    legacy = and_(
        col(SyncLog.lease_expires_at).is_(None),
        col(SyncLog.heartbeat_at).is_(None) | (col(SyncLog.heartbeat_at) < now - LEGACY_STALE),
        col(SyncLog.started_at) < now - LEGACY_STALE,
    )
    return or_(col(SyncLog.lease_expires_at) < now, legacy)


def lease_columns(owner: ProcessOwner | str, duration: timedelta, epoch: int) -> dict[str, Any]:
    """The columns of a new RUNNING log held by `owner`."""
    now = utcnow()
    return {
        "lease_owner": str(owner),
        "lease_epoch": epoch,
        "lease_expires_at": now + duration,
        "heartbeat_at": now,
    }


async def fence(session: AsyncSession, token: LeaseToken, duration: timedelta) -> None:
    """Renew the lease inside the caller's transaction, or raise LeaseLost. Run it before the
    transaction's first write: the caller commits both together."""
    assert session.bind is not None
    if session.bind.dialect.name == "postgresql":
        # The UPDATE below holds the log row until commit. A holder frozen before its commit
        # (SIGSTOP, a frozen VM) would hold it, and block the takeover, for as long as it is
        # frozen; PostgreSQL ends such a session, and its transaction, after one lease.
        await session.execute(
            text(f"SET LOCAL idle_in_transaction_session_timeout = {_ms(duration)}")
        )
    now = utcnow()
    result = await session.execute(
        update(SyncLog).where(held(token)).values(heartbeat_at=now, lease_expires_at=now + duration)
    )
    if not _rowcount(result):
        raise LeaseLost(f"sync run {token.log_id} lost its lease (epoch {token.epoch})")


async def write_log(session: AsyncSession, token: LeaseToken, **values: Any) -> None:
    """Write the run's own log, only while it holds the lease (no commit)."""
    result = await session.execute(update(SyncLog).where(held(token)).values(**values))
    if not _rowcount(result):
        raise LeaseLost(f"sync run {token.log_id} lost its lease (epoch {token.epoch})")


async def adopt(
    session: AsyncSession, log_id: str, owner: ProcessOwner | str, duration: timedelta
) -> LeaseToken | None:
    """Take over a RUNNING log whose lease expired, with the next epoch (a retried job
    resuming its log); None when it is not running or its holder is still alive. Commits."""
    now = utcnow()
    current = await session.scalar(
        select(col(SyncLog.lease_epoch)).where(
            col(SyncLog.id) == log_id,
            col(SyncLog.status) == SyncStatus.RUNNING.value,
            expired(now),
        )
    )
    if current is None:
        return None
    result = await session.execute(
        update(SyncLog)
        .where(held(LeaseToken(log_id, current)), expired(now))
        .values(**lease_columns(owner, duration, current + 1))
    )
    await session.commit()
    return LeaseToken(log_id, current + 1) if _rowcount(result) else None


async def fail_expired(session: AsyncSession, channel_id: str | None = None) -> int:
    """Close RUNNING logs whose lease expired (a crash, or a process stalled past its lease);
    their holder's next write finds the log closed and stops. Commits."""
    now = utcnow()
    query = update(SyncLog).where(col(SyncLog.status) == SyncStatus.RUNNING.value, expired(now))
    if channel_id is not None:
        query = query.where(col(SyncLog.channel_id) == channel_id)
    result = await session.execute(query.values(**_failed(INTERRUPTED)))
    await session.commit()
    return _rowcount(result)


async def release_orphans(session: AsyncSession, me: ProcessOwner) -> list[str]:
    """Fail at once the RUNNING logs held by processes of this host that no longer exist (a
    restart after a crash or a kill), instead of letting them block their channel until their
    lease expires. Returns their ids. Commits."""
    rows = await session.execute(
        select(col(SyncLog.id), col(SyncLog.lease_owner), col(SyncLog.lease_epoch)).where(
            col(SyncLog.status) == SyncStatus.RUNNING.value,
            col(SyncLog.lease_owner).is_not(None),
        )
    )
    released = []
    for log_id, owner_text, epoch in rows.all():
        owner = ProcessOwner.parse(owner_text or "")
        if owner is None or not is_gone(owner, me):
            continue
        reason = (
            f"the run was interrupted: its process (pid {owner.pid} on {owner.host}) "
            "no longer exists"
        )
        result = await session.execute(
            update(SyncLog).where(held(LeaseToken(log_id, epoch))).values(**_failed(reason))
        )
        if _rowcount(result):
            released.append(log_id)
    await session.commit()
    return released


def _failed(reason: str) -> dict[str, Any]:
    return {
        "status": SyncStatus.FAILED.value,
        "completed_at": utcnow(),
        "phase": SyncPhase.DONE.value,
        "errors": [{"message": reason}],
    }


def _ms(duration: timedelta) -> int:
    return max(1, int(duration.total_seconds() * 1000))


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
