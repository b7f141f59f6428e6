"""A client-side model of Shopify's leaky cost bucket, fed by every response's throttle status.

Shopify charges a query's requested cost when it arrives and refills the bucket at
`restoreRate` points per second up to `maximumAvailable`. Nothing here is hard-coded: the
bucket's size and rate come from `extensions.cost.throttleStatus`. Between responses the level
is extrapolated from the last status; the estimated cost of every request still in flight is
held as a local reservation, so that many concurrent callers do not all see a full bucket.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class ThrottleStatus:
    maximum: float
    available: float
    restore_rate: float

    @classmethod
    def from_cost(cls, cost: Mapping[str, Any] | None) -> "ThrottleStatus | None":
        """Parse `extensions.cost`; None when the shop sends no usable throttle status."""
        status = (cost or {}).get("throttleStatus")
        if not isinstance(status, Mapping):
            return None
        try:
            maximum = float(status["maximumAvailable"])
            available = float(status["currentlyAvailable"])
            rate = float(status["restoreRate"])
        except (KeyError, TypeError, ValueError):
            return None
        if maximum <= 0 or rate <= 0:
            return None
        return cls(maximum=maximum, available=available, restore_rate=rate)


@dataclass
class Reservation:
    cost: float
    probe: bool = False
    settled: bool = False


class CostLimiter:
    def __init__(
        self,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        on_wait: Callable[[float], None] | None = None,
    ) -> None:
        self._clock = clock
        self._sleep = sleep
        self._on_wait = on_wait
        self._status: ThrottleStatus | None = None
        # Local model of the bucket: the level at `_level_at`, already less every request we
        # have sent since, refilling at the last known restore rate.
        self._level = 0.0
        self._level_at = 0.0
        self._reserved = 0.0  # estimated cost of requests sent and not yet answered
        self._lock = asyncio.Lock()
        # Until the first status arrives the bucket is unknown: one request goes ahead alone
        # and the others wait for its answer rather than guess a plan's limits.
        self._probe_running = False
        self._probe_done = asyncio.Event()
        self._unmetered = False  # the shop answered without any throttle status
        self.waited = 0.0

    @property
    def status(self) -> ThrottleStatus | None:
        return self._status

    @property
    def reserved(self) -> float:
        return self._reserved

    def available(self) -> float | None:
        """Points expected in the bucket now, in-flight requests already deducted."""
        if self._status is None:
            return None
        elapsed = max(0.0, self._clock() - self._level_at)
        return min(self._status.maximum, self._level + elapsed * self._status.restore_rate)

    def wait_time(self, cost: float) -> float:
        """Seconds until `cost` points are expected to be free (0 when they are now)."""
        available = self.available()
        if available is None or self._status is None:
            return 0.0
        needed = min(cost, self._status.maximum)
        wait = (needed - available) / self._status.restore_rate
        # Below a microsecond is float noise from the extrapolation; sleeping it could loop
        # forever when the clock's resolution cannot represent the step.
        return wait if wait > 1e-6 else 0.0

    async def acquire(self, cost: float) -> Reservation:
        # The lock makes waiters queue in arrival order: the head sleeps for its computed time
        # while later callers wait behind it instead of all waking at once.
        async with self._lock:
            while True:
                if self._status is None:
                    if self._unmetered:
                        return self._reserve(cost, probe=False)
                    if not self._probe_running:
                        self._probe_running = True
                        self._probe_done.clear()
                        return self._reserve(cost, probe=True)
                    await self._probe_done.wait()
                    continue
                wait = self.wait_time(cost)
                if wait <= 0:
                    return self._reserve(cost, probe=False)
                self.waited += wait
                if self._on_wait is not None:
                    self._on_wait(wait)
                await self._sleep(wait)

    def _reserve(self, cost: float, probe: bool) -> Reservation:
        available = self.available()
        if available is not None:
            self._level = available - cost
            self._level_at = self._clock()
        self._reserved += cost
        return Reservation(cost=cost, probe=probe)

    def settle(
        self, reservation: Reservation, status: ThrottleStatus | None, answered: bool = True
    ) -> None:
        """Release a reservation and take in the status its response carried.

        `answered` is False when the request failed without a GraphQL answer (connection
        error, 5xx): a failed probe then lets the next caller probe again.
        """
        if reservation.settled:
            return
        reservation.settled = True
        self._reserved = max(0.0, self._reserved - reservation.cost)
        if status is not None:
            self.observe(status)
        if reservation.probe:
            self._probe_running = False
            if status is None and answered:
                self._unmetered = True
            self._probe_done.set()

    def observe(self, status: ThrottleStatus) -> None:
        """Adopt Shopify's figure, less what is still in flight: the server may not have
        charged those yet (if it has, we are briefly too cautious, never too eager)."""
        self._status = status
        self._level = min(status.available, status.maximum) - self._reserved
        self._level_at = self._clock()
        self._unmetered = False
