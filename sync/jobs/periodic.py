"""The workers' periodic task: fires due scheduled syncs and drains webhook events left behind.

Procrastinate defers one job per tick for the whole fleet (its periodic defer is unique per task
and timestamp, and the queueing lock keeps a slow tick from piling up behind itself); the
claim in `fire_due` makes a run time fire once even if two ticks overlapped. The API processes
of a queued deployment do not fire schedules themselves.
"""

import logging
from datetime import timedelta

import procrastinate

from db.clock import utcnow
from db.engine import SessionFactory
from db.webhook_events import channels_with_pending_events
from sync.runner import Runner
from sync.schedules import fire_due, runner_start
from sync.webhook_drain import drain_channel

log = logging.getLogger("sigma.worker")

TICK_TASK = "sigma.tick"
# Above the runs' default 0: a tick waiting for a free slot goes first.
TICK_PRIORITY = 10
# Events an API process stored but did not drain (it stopped, or the channel was busy when it
# tried) are this old before a tick drains them; younger ones are the API's debouncer's.
LEFTOVER_AGE = timedelta(seconds=30)


def tick_cron(seconds: int) -> str:
    """Every `seconds` seconds (Procrastinate's cron takes seconds as a sixth column)."""
    if not 1 <= seconds <= 59 or 60 % seconds:
        raise ValueError(f"a tick must divide a minute, not {seconds} seconds")
    return f"* * * * * */{seconds}"


async def tick(
    sessions: SessionFactory, runner: Runner, reconcile_every: timedelta | None
) -> tuple[int, int]:
    """One pass: (scheduled runs started, channels whose leftover events were drained)."""
    now = utcnow()
    fired = await fire_due(sessions, runner_start(runner), now, reconcile_every)
    async with sessions() as session:
        leftovers = await channels_with_pending_events(session, received_before=now - LEFTOVER_AGE)
    drained = 0
    for channel_id in leftovers:
        done, _ = await drain_channel(channel_id, sessions, runner)
        drained += done
    return len(fired.started), drained


def register_tick(
    app: procrastinate.App,
    sessions: SessionFactory,
    runner: Runner,
    reconcile_every: timedelta | None,
    seconds: int,
) -> None:
    @app.periodic(cron=tick_cron(seconds), periodic_id="tick")
    @app.task(name=TICK_TASK, queueing_lock=TICK_TASK, priority=TICK_PRIORITY)
    async def run_tick(timestamp: int) -> None:
        started, drained = await tick(sessions, runner, reconcile_every)
        if started or drained:
            log.info("tick %d: %d scheduled runs started, %d drains", timestamp, started, drained)
