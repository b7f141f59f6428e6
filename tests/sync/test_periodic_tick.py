"""The workers' periodic tick: due schedules fire through the runner (the queue in a worker),
and webhook events an API process left behind are drained, young ones left to its debouncer."""

from datetime import timedelta
from typing import Any, cast

import pytest

from db.clock import utcnow
from db.engine import SessionFactory
from db.enums import SyncDirection
from db.models import SyncLog, WebhookEvent
from db.sync_logs import start_run
from sync.jobs.periodic import LEFTOVER_AGE, tick, tick_cron
from sync.runner import Runner
from tests.helpers.schedules import scheduled_channel


class StartingRunner:
    """Runner.start as far as the tick goes: a RUNNING log per call, every call recorded."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.calls: list[tuple[str, SyncDirection, dict[str, Any]]] = []

    async def start(self, channel_id: str, direction: SyncDirection, **options: Any) -> SyncLog:
        self.calls.append((channel_id, direction, options))
        async with self.sessions() as session:
            return await start_run(session, channel_id, direction, "test-worker")


async def _event(sessions: SessionFactory, channel_id: str, age: timedelta, product: str) -> None:
    async with sessions() as session:
        session.add(
            WebhookEvent(
                channel_id=channel_id,
                event_id=product,
                topic="products/update",
                product_id=product,
                received_at=utcnow() - age,
            )
        )
        await session.commit()


async def test_a_tick_fires_due_schedules_and_drains_only_leftover_events(
    sessions: SessionFactory,
) -> None:
    now = utcnow()
    due = await scheduled_channel(sessions, "every 1h", now - timedelta(seconds=1), "due")
    later = await scheduled_channel(sessions, "every 1h", now + timedelta(minutes=5), "later")
    await _event(sessions, later, LEFTOVER_AGE + timedelta(seconds=5), "gid://shopify/Product/1")
    young = await scheduled_channel(sessions, "every 1h", now + timedelta(minutes=5), "young")
    await _event(sessions, young, timedelta(seconds=1), "gid://shopify/Product/2")
    runner = StartingRunner(sessions)

    started, drained = await tick(sessions, cast(Runner, runner), timedelta(hours=24))

    assert (started, drained) == (1, 1)
    by_channel = {channel: (direction, options) for channel, direction, options in runner.calls}
    assert set(by_channel) == {due, later}
    assert by_channel[due] == (SyncDirection.BIDIRECTIONAL, {"reconcile": True})
    direction, options = by_channel[later]
    assert direction == SyncDirection.PULL
    assert list(options["targets"].changed) == ["gid://shopify/Product/1"]


def test_the_tick_cron_divides_a_minute() -> None:
    assert tick_cron(5) == "* * * * * */5"
    for bad in (0, 7, 60):
        with pytest.raises(ValueError, match="divide a minute"):
            tick_cron(bad)
