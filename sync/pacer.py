"""Pacer: a run's long synchronous stretches hand the event loop back every few milliseconds.

A sync runs inside the API's process (sync.runner). Checksumming a batch of entities, planning
and JSON-encoding a 5,000-item bulk batch or indexing the catalog for linking each took from a
few hundred milliseconds to two seconds between two awaits; every request, health checks and
status polls included, waited that long (bench/results/2026-11-30-polling-quiet.md: p99 448 ms
beside a bulk push). A loop over items calls `await pacer.pause()` once per item: it costs a
clock read, and every `SLICE` of work it lets the loop run what is ready.
"""

import asyncio
import time
from collections.abc import Callable

# Long enough that the hand-over (one loop iteration, microseconds when nothing waits) is noise
# in the run's own time; short next to the p99 of a poll (tens of ms on a busy machine).
SLICE = 0.004


class Pacer:
    def __init__(
        self, slice_seconds: float | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._slice = SLICE if slice_seconds is None else slice_seconds
        self._clock = clock
        self._deadline = clock() + self._slice

    async def pause(self) -> None:
        """Let the event loop run once when this stretch has worked for a slice."""
        if self._clock() >= self._deadline:
            await asyncio.sleep(0)
            self._deadline = self._clock() + self._slice
