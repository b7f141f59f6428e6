"""Fires the scheduled syncs that are due: each run time once, whatever the number of processes.

`fire_due` is a plain function of its collaborators so that the embedded server's loop
(`fire_forever`) and a queued deployment's periodic task call the same code.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from db.channels import DueChannel, claim_scheduled_run, due_channels
from db.clock import utcnow
from db.engine import SessionFactory
from db.enums import SyncDirection
from db.errors import SyncInProgress, UserErrors
from db.models import SyncLog
from sync.runner import Runner
from sync.schedule_rules import ScheduleError, parse_schedule

log = logging.getLogger("sigma.schedules")

# The runner's start: (channel id, direction, reconcile) -> the RUNNING log, or SyncInProgress.
StartSync = Callable[[str, SyncDirection, bool], Awaitable[SyncLog]]
BATCH = 100


@dataclass
class Fired:
    """What one pass did, by channel id."""

    started: dict[str, str] = field(default_factory=dict)  # channel id -> log id
    skipped: list[str] = field(default_factory=list)  # a run was going on
    refused: dict[str, str] = field(default_factory=dict)  # channel id -> why it cannot start
    lost: list[str] = field(default_factory=list)  # another process claimed the run time


async def fire_due(
    sessions: SessionFactory,
    start: StartSync,
    now: datetime,
    reconcile_every: timedelta | None = None,
) -> Fired:
    """Start a bidirectional sync of every channel whose next run time is at or before `now`.

    Each channel is claimed by moving its next run time in one UPDATE that compares the value
    read, so of two processes reading the same due channel only one starts it. A channel with a
    run going on is skipped (its next run time still advances): a schedule never queues runs.
    The sync also compares every mapped product id with the store (remote deletions that no
    webhook reported) when the channel's last reconciliation is `reconcile_every` old.
    """
    fired = Fired()
    while True:
        async with sessions() as session:
            due = await due_channels(session, now, BATCH)
        for channel in due:
            reconcile = reconcile_every is not None and (
                channel.reconciled_at is None or channel.reconciled_at <= now - reconcile_every
            )
            await _fire_one(sessions, start, now, channel, reconcile, fired)
        if len(due) < BATCH:
            return fired


async def _fire_one(
    sessions: SessionFactory,
    start: StartSync,
    now: datetime,
    channel: DueChannel,
    reconcile: bool,
    fired: Fired,
) -> None:
    channel_id = channel.id
    context = {"channel_id": channel_id}
    try:
        next_at = parse_schedule(channel.schedule).next_after(now, previous=channel.next_sync_at)
    except ScheduleError:
        # Saved schedules were validated; one this version no longer reads stops firing.
        log.warning(
            "the sync schedule %r cannot be read; it is off", channel.schedule, extra=context
        )
        next_at = None
    async with sessions() as session:
        claimed = await claim_scheduled_run(session, channel_id, channel.next_sync_at, next_at)
    if not claimed:
        fired.lost.append(channel_id)
        return
    if next_at is None:
        return
    try:
        started = await start(channel_id, SyncDirection.BIDIRECTIONAL, reconcile)
    except SyncInProgress as busy:
        fired.skipped.append(channel_id)
        log.info(
            "scheduled sync skipped: run %s of the channel is going on; next run at %s",
            busy.running.id,
            next_at.isoformat(),
            extra={**context, "log_id": busy.running.id},
        )
        return
    except UserErrors as refused:
        fired.refused[channel_id] = str(refused)
        log.warning("scheduled sync not started: %s", refused, extra=context)
        return
    except Exception:
        fired.refused[channel_id] = "unexpected error"
        log.exception("scheduled sync not started", extra=context)
        return
    fired.started[channel_id] = started.id
    log.info("scheduled sync started", extra={**context, "log_id": started.id})


def reconcile_interval(hours: float) -> timedelta | None:
    return timedelta(hours=hours) if hours > 0 else None


def runner_start(runner: Runner) -> StartSync:
    """The runner's start as a scheduler calls it: in-process, or a job with a queue."""

    async def start(channel_id: str, direction: SyncDirection, reconcile: bool) -> SyncLog:
        return await runner.start(channel_id, direction, reconcile=reconcile)

    return start


async def fire_forever(
    sessions: SessionFactory,
    start: StartSync,
    interval: float,
    clock: Callable[[], datetime] = utcnow,
    reconcile_every: timedelta | None = None,
) -> None:
    """The embedded server's scheduler: a pass every `interval` seconds."""
    while True:
        await asyncio.sleep(interval)
        try:
            await fire_due(sessions, start, clock(), reconcile_every)
        except Exception:
            log.warning("could not fire scheduled syncs", exc_info=True)
