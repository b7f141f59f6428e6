"""A run's counters and per-item errors, written to its SyncLog while the run goes on."""

import time
from collections.abc import Callable
from typing import Any

from db.engine import SessionFactory
from db.sync_logs import save_progress

MAX_ERRORS = 10_000


class Recorder:
    """Counts items and flushes to the database at most every `interval` seconds.

    Errors beyond MAX_ERRORS are counted but not listed, so one broken store cannot grow a
    log row without bound.
    """

    def __init__(
        self,
        sessions: SessionFactory,
        log_id: str,
        interval: float = 0.5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self.log_id = log_id
        self.counters = {"pushed": 0, "pulled": 0, "skipped": 0, "failed": 0}
        self.errors: list[dict[str, Any]] = []
        self.details: dict[str, Any] = {}
        self._interval = interval
        self._clock = clock
        self._flushed = clock()
        self._unlisted = 0

    def count(self, counter: str, amount: int = 1) -> None:
        self.counters[counter] += amount

    def fail(
        self, message: str, entity_id: str | None = None, external_id: str | None = None
    ) -> None:
        self.counters["failed"] += 1
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

    async def maybe_flush(self) -> None:
        if self._clock() - self._flushed >= self._interval:
            await self.flush()

    async def flush(self) -> None:
        self._flushed = self._clock()
        async with self._sessions() as session:
            await save_progress(session, self.log_id, self.counters, self.errors, self.details)
