"""The lease a run holds on its SyncLog, from the running process's side (db.leases).

- Database writes: `sessions` gives sessions whose first write of each transaction (and any
  commit) is preceded by `db.leases.fence`, so the write and the proof that the run still holds
  its lease commit together or not at all.
- Shopify writes: `check()` runs before each mutation is sent (ShopifyClient.write_guard). It
  needs no round trip: the lease is taken as valid for `duration - margin` after the start of
  the last fence that succeeded, by the monotonic clock, so a process that wakes from a pause
  longer than that stops before it calls Shopify, whether or not a new run has started yet.
- `keep()` renews the lease every `heartbeat` seconds.

The first failed fence marks the lease lost, logs it once and calls `on_lost` (the runner
cancels the run): a stale holder stops at its next write and writes nothing more.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.engine import SessionFactory
from db.leases import LeaseLost, LeaseToken, fence

log = logging.getLogger("sigma.sync")


class RunLease:
    def __init__(
        self,
        sessions: SessionFactory,
        token: LeaseToken,
        duration: timedelta,
        on_lost: Callable[[str], None] = lambda _: None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.duration = duration
        # Renewed twelve times per lease; trusted locally for three quarters of it: the rest
        # covers a Shopify request already on its way and clocks that differ between machines.
        self.heartbeat = duration.total_seconds() / 12
        self.margin = duration.total_seconds() / 4
        self.lost: str | None = None
        self._plain = sessions
        self._on_lost = on_lost
        self._clock = clock
        # start_run wrote the first expiry just before this object was made.
        self._confirmed = clock()
        self.sessions: SessionFactory = async_sessionmaker[AsyncSession](
            **{**sessions.kw, "lease": self}, class_=FencedSession
        )

    def check(self) -> None:
        """Raise LeaseLost unless the lease is certainly still ours (no database round trip)."""
        if self.lost is None:
            held_for = self._clock() - self._confirmed
            if held_for < self.duration.total_seconds() - self.margin:
                return
            self.lose(f"its lease was last renewed {held_for:.1f} s ago, past its term")
        raise LeaseLost(f"sync run {self.token.log_id} lost its lease: {self.lost}")

    async def fence(self, session: AsyncSession) -> None:
        """Prove and renew the lease inside `session`'s transaction (see db.leases.fence)."""
        if self.lost is not None:
            raise LeaseLost(f"sync run {self.token.log_id} lost its lease: {self.lost}")
        started = self._clock()
        try:
            await fence(session, self.token, self.duration)
        except LeaseLost:
            self.lose("another process closed or took over its log")
            raise
        self._confirmed = max(self._confirmed, started)

    async def renew(self) -> None:
        async with self._plain() as session:
            await self.fence(session)
            await session.commit()

    async def keep(self) -> None:
        """Renew every `heartbeat` seconds until the lease is lost (or the task is cancelled)."""
        while self.lost is None:
            await asyncio.sleep(self.heartbeat)
            try:
                await self.renew()
            except LeaseLost:
                return
            except Exception:  # a missed renewal is harmless while the lease has time left
                log.warning("could not renew the lease of sync run %s", self.token.log_id)

    def lose(self, reason: str) -> None:
        if self.lost is not None:
            return
        self.lost = reason
        log.warning(
            "sync run %s stops: %s; it writes nothing more (epoch %s)",
            self.token.log_id,
            reason,
            self.token.epoch,
        )
        self._on_lost(reason)


class FencedSession(AsyncSession):
    """A session of a leased run: the first write of each transaction is preceded by the
    lease's fence, in that transaction."""

    def __init__(self, *args: Any, lease: RunLease, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lease = lease
        self._fenced = False

    async def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._fenced and getattr(statement, "is_dml", False):
            await self._fence()
        return await super().execute(statement, *args, **kwargs)

    async def flush(self, objects: Any = None) -> None:
        if not self._fenced and (self.new or self.dirty or self.deleted):
            await self._fence()
        await super().flush(objects)

    async def commit(self) -> None:
        if not self._fenced:
            await self._fence()
        try:
            await super().commit()
        finally:
            self._fenced = False

    async def rollback(self) -> None:
        self._fenced = False
        await super().rollback()

    async def _fence(self) -> None:
        self._fenced = True  # before the await: the fence's own UPDATE goes through execute
        try:
            await self._lease.fence(self)
        except BaseException:
            self._fenced = False
            raise
