"""Shopify's leaky bucket for calculated query cost (per app and shop)."""

import time
from collections.abc import Callable


class LeakyBucket:
    """Holds up to `maximum` points and refills at `restore_rate` points per second.

    A request is charged its requested cost up front (`try_take`); after execution the difference
    to the actual cost is refunded (`refund`).
    """

    def __init__(
        self,
        maximum: float = 2000.0,
        restore_rate: float = 100.0,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self.maximum = float(maximum)
        self.restore_rate = float(restore_rate)
        self._now = now
        self._available = float(maximum)
        self._stamp = now()

    def _refill(self) -> None:
        current = self._now()
        self._available = min(
            self.maximum, self._available + (current - self._stamp) * self.restore_rate
        )
        self._stamp = current

    @property
    def available(self) -> float:
        self._refill()
        return self._available

    def try_take(self, points: float) -> bool:
        self._refill()
        if points > self._available:
            return False
        self._available -= points
        return True

    def refund(self, points: float) -> None:
        self._refill()
        self._available = min(self.maximum, self._available + max(0.0, points))

    def configure(self, maximum: float | None = None, restore_rate: float | None = None) -> None:
        self._refill()
        if maximum is not None:
            self.maximum = float(maximum)
            self._available = min(self._available, self.maximum)
        if restore_rate is not None:
            self.restore_rate = float(restore_rate)

    def fill(self) -> None:
        self._available, self._stamp = self.maximum, self._now()

    def status(self) -> dict[str, float | int]:
        """`throttleStatus` as Shopify sends it: floats for the limits, an int for what is left."""
        return {
            "maximumAvailable": self.maximum,
            "currentlyAvailable": int(self.available),
            "restoreRate": self.restore_rate,
        }
