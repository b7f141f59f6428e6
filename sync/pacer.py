"""Pacer: a run's long synchronous stretches hand the event loop back every few milliseconds.

A sync runs inside the API's process (sync.runner). Checksumming a batch of entities, planning
and JSON-encoding a 5,000-item bulk batch or indexing the catalog for linking each took from a
few hundred milliseconds to two seconds between two awaits; every request, health checks and
status polls included, waited that long (bench/results/2026-11-30-polling-quiet.md: p99 448 ms
beside a bulk push). A loop over items calls `await pace()` once per item: it costs a
clock read, and every `SLICE` of work it lets the loop run what is ready.

Every stretch on a loop draws on one `Budget`: one slice of paced work per loop iteration, in
all. With a slice per stretch, the stretches that run at once (the reading loop, two bulk batches
planning or reading results, several runs) each took their slice in the same iteration, and a
poll waited behind all of them: the loop woke 21-27 ms late at p99 during a push's first minute
(bench/results/2026-11-30-polling-cache-5-rounds.md). A stretch that finds the slice spent
waits its turn; turns go one per iteration, in order of arrival, so no stretch starves.
"""

import asyncio
import time
from collections import deque
from collections.abc import Callable
from weakref import WeakKeyDictionary

# Long enough that the hand-over (one loop iteration, microseconds when nothing waits) is noise
# in the run's own time; short next to the p99 of a poll (tens of ms on a busy machine).
SLICE = 0.004


class Budget:
    """One event loop's slice of paced work per iteration, handed to waiting stretches in turn."""

    def __init__(
        self, slice_seconds: float | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self._slice = SLICE if slice_seconds is None else slice_seconds
        self._clock = clock
        self._deadline = clock() + self._slice
        self._waiting: deque[asyncio.Future[None]] = deque()
        self._handing = False

    async def pause(self) -> None:
        """Go on while the current slice lasts; once it is spent, wait for a turn of its own."""
        if self._clock() < self._deadline:
            return
        loop = asyncio.get_running_loop()
        turn: asyncio.Future[None] = loop.create_future()
        self._waiting.append(turn)
        if not self._handing:
            self._handing = True
            loop.call_soon(self._hand_over)
        await turn
        self._deadline = self._clock() + self._slice

    def _hand_over(self) -> None:
        """One turn per loop iteration: what became ready meanwhile (requests) runs between."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():  # a cancelled waiter gives its turn to the next
                turn.set_result(None)
                break
        self._handing = bool(self._waiting)
        if self._handing:
            asyncio.get_running_loop().call_soon(self._hand_over)


_budgets: "WeakKeyDictionary[asyncio.AbstractEventLoop, Budget]" = WeakKeyDictionary()


def loop_budget() -> Budget:
    """The running loop's one budget, made on first use."""
    loop = asyncio.get_running_loop()
    budget = _budgets.get(loop)
    if budget is None:
        budget = _budgets[loop] = Budget()
    return budget


async def pace() -> None:
    """Let the event loop run once the loop's slice of paced work is spent."""
    await loop_budget().pause()
