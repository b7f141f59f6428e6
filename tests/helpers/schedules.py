"""Helpers for the scheduled-sync tests: channels with a schedule, and a start function that
records its calls and takes the run lock like the API's does."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, cast

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import SessionFactory
from db.enums import SyncDirection
from db.models import Channel, SyncLog
from db.sync_logs import start_run


async def scheduled_channel(
    sessions: SessionFactory, schedule: str, next_at: datetime, name: str = "C"
) -> str:
    async with sessions() as session:
        channel = Channel(
            name=name,
            shop_domain="s.myshopify.com",
            sync_schedule=schedule,
            next_sync_at=next_at,
        )
        session.add(channel)
        await session.commit()
        return channel.id


class RecordingStart:
    """The API's start function as far as the lock goes: a RUNNING log, or SyncInProgress."""

    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions
        self.calls: list[tuple[str, SyncDirection]] = []
        # channel id -> whether the run was asked to reconcile remote deletions
        self.reconciles: dict[str, bool] = {}

    async def __call__(
        self, channel_id: str, direction: SyncDirection, reconcile: bool = False
    ) -> SyncLog:
        self.calls.append((channel_id, direction))
        self.reconciles[channel_id] = reconcile
        async with self.sessions() as session:
            return await start_run(session, channel_id, direction, "test-scheduler")


def gated_after_first_read(sessions: SessionFactory, barrier: asyncio.Barrier) -> SessionFactory:
    """A session factory whose first session, once closed, waits at `barrier`: two firers both
    finish reading the due channels before either claims one (the race the claim must win)."""
    first = True

    @contextlib.asynccontextmanager
    async def open_session() -> AsyncIterator[AsyncSession]:
        nonlocal first
        async with sessions() as session:
            yield session
        if first:
            first = False
            await barrier.wait()

    def factory(*_: Any) -> Any:
        return open_session()

    return cast(SessionFactory, factory)


class MovableClock:
    """The scheduler's clock in end-to-end tests: it stands still until the test moves it."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.reads = 0

    def __call__(self) -> datetime:
        self.reads += 1
        return self.now

    async def passes(self, count: int, timeout: float = 10) -> None:
        """Until the scheduler has finished `count` passes at the current time (a pass reads the
        clock when it begins, so count + 1 reads from now on)."""
        target = self.reads + count + 1
        deadline = asyncio.get_running_loop().time() + timeout
        while self.reads < target:
            assert asyncio.get_running_loop().time() < deadline, "the scheduler is not running"
            await asyncio.sleep(0.01)
