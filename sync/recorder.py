"""A run's counters, phase and per-item errors, written to its SyncLog while the run goes on.

A UI polls the log, so the recorder writes on a timer (`start()`), not when a batch ends: a
batch of 250 productSet calls can take minutes on a slow store. Pending mapping writes are
registered with the recorder (`add_writer`) and written in the same transaction as the
counters, every tick: the log never counts a product whose mapping is not saved, and a crash
loses (and so repeats) at most one interval of Shopify writes.
"""

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from db.engine import SessionFactory
from db.enums import SyncPhase
from db.leases import LeaseLost, LeaseToken
from db.sync_logs import save_progress

MAX_ERRORS = 10_000
log = logging.getLogger("sigma.sync")


class PendingWrites(Protocol):
    """Rows a run accumulates between flushes (e.g. the mappings of pushed products)."""

    def take(self) -> Any:
        """What accumulated since the last take; the buffer starts empty again."""

    async def write(self, session: AsyncSession, taken: Any) -> None:
        """Write a taken batch, without committing."""

    def give_back(self, taken: Any) -> None:
        """The flush failed: keep the batch for the next one."""


class Recorder:
    """Counts items and flushes to the database every `interval` seconds once started.

    Errors beyond MAX_ERRORS are counted but not listed, so one broken store cannot grow a
    log row without bound.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        token: LeaseToken,
        interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self.token = token
        self.log_id = token.log_id
        self.counters = {"pushed": 0, "pulled": 0, "skipped": 0, "failed": 0}
        # Per bulk operation: the lines it has processed (its objectCount) and how many of them
        # are known as pushed or failed; the difference is shown in `pushed` so that a long
        # import is not a frozen 0 (see `bulk_progress`).
        self._reported: dict[str, int] = {}
        self._settled: dict[str, int] = {}
        self.errors: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self.phase = SyncPhase.STARTING
        self.total: int | None = None
        self.bulk_operation_id: str | None = None
        self._interval = interval
        self._clock = clock
        self._flushed = clock()
        self._unlisted = 0
        self._writers: list[PendingWrites] = []
        self._lock = asyncio.Lock()
        self._ticker: asyncio.Task[None] | None = None

    def count(self, counter: str, amount: int = 1) -> None:
        self.counters[counter] += amount
        if counter == "pushed":
            self._settle(amount)

    @property
    def in_flight(self) -> int:
        return sum(done - self._settled[op] for op, done in self._reported.items())

    @in_flight.setter
    def in_flight(self, value: int) -> None:
        assert value == 0, "only cleared"
        self._settled = dict(self._reported)

    def _settle(self, amount: int) -> None:
        # An item counted for real stops counting as in flight: `pushed + failed` never drops.
        # Results are read in about the order operations started: the oldest settles first.
        for operation, done in self._reported.items():
            taken = min(done - self._settled[operation], amount)
            self._settled[operation] += taken
            amount -= taken
            if not amount:
                return

    def set_phase(self, phase: SyncPhase) -> None:
        self.phase = phase

    def bulk_progress(self, operation_id: str, done: int) -> None:
        """A bulk import's objectCount so far: the lines Shopify has run."""
        self.bulk_operation_id = operation_id
        self.phase = SyncPhase.WAITING_FOR_SHOPIFY
        # Per operation: up to five run at once (2026-01), and one's lines still being read
        # back must not hide the next one's progress (a flat max() did: `pushed` then stood
        # still through the second one: "pushed 5000-5000" in 2026-11-30-polling-quiet-2.md).
        # A late report of lines already settled adds nothing: settled lines stay settled.
        self._settled.setdefault(operation_id, 0)
        self._reported[operation_id] = max(self._reported.get(operation_id, 0), done)

    def bulk_follow_up_progress(self, operation_id: str, _done: int) -> None:
        """A bulk push's in-place writes (sync.push_follow_ups) run at Shopify: the UI sees which
        operation it waits for. Its lines are the items' second writes, not more items pushed."""
        self.bulk_operation_id = operation_id
        self.phase = SyncPhase.WAITING_FOR_SHOPIFY

    def bulk_export_progress(self, operation_id: str, products: int) -> None:
        """A bulk export's rootObjectCount so far: products Shopify has written to the file."""
        self.bulk_operation_id = operation_id
        self.phase = SyncPhase.WAITING_FOR_SHOPIFY
        self.details["bulkObjectCount"] = products

    def fail(
        self, message: str, entity_id: str | None = None, external_id: str | None = None
    ) -> None:
        self.counters["failed"] += 1
        self._settle(1)
        if len(self.errors) >= MAX_ERRORS:
            self._unlisted += 1
            self.details["unlistedErrors"] = self._unlisted
            return
        error: dict[str, Any] = {"message": message}
        if entity_id is not None:
            error["entityId"] = entity_id
        if external_id is not None:
            error["externalId"] = external_id
        self.errors.append(error)

    def add_writer(self, writer: PendingWrites) -> None:
        self._writers.append(writer)

    def remove_writer(self, writer: PendingWrites) -> None:
        self._writers.remove(writer)

    def start(self) -> None:
        """Flush every `interval` seconds until `stop()`."""
        if self._ticker is None:
            self._ticker = asyncio.create_task(self._tick())

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            # wait() neither raises the ticker's CancelledError nor hides our own cancellation
            await asyncio.wait([self._ticker])
            self._ticker = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(self._interval)
            try:
                await self.flush()
            except LeaseLost:  # the run stops (sync.lease); nothing more is ours to write
                return
            except Exception:  # the next tick, or the run's own flush, tries again
                log.warning("could not record the progress of sync run %s", self.log_id)

    async def maybe_flush(self) -> None:
        if self._clock() - self._flushed >= self._interval:
            await self.flush()

    def shown_counters(self) -> dict[str, int]:
        return {**self.counters, "pushed": self.counters["pushed"] + self.in_flight}

    def progress_columns(self) -> dict[str, Any]:
        return {
            "phase": self.phase.value,
            "total": self.total,
            "bulk_operation_id": self.bulk_operation_id,
        }

    async def flush(self) -> None:
        async with self._lock:
            self._flushed = self._clock()
            # Taken together, with no await between: items counted while the rows are being
            # written are neither in these rows nor in these counters.
            taken = [(writer, writer.take()) for writer in self._writers]
            counters = self.shown_counters()
            errors = list(self.errors)
            details = dict(self.details)
            columns = self.progress_columns()
            try:
                async with self._sessions() as session:
                    # First, so that a run which lost its lease writes none of the rows below.
                    await save_progress(session, self.token, counters, errors, details, **columns)
                    for writer, batch in taken:
                        await writer.write(session, batch)
                    # commits the rows above and the counters that count them together
                    await session.commit()
            except BaseException:
                for writer, batch in taken:
                    writer.give_back(batch)
                raise
