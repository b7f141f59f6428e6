"""Bounded retry budget: exponential backoff with jitter, capped in attempts and total time."""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sync.shopify.errors import ShopifyUnavailable, UnavailableReason
from sync.shopify.limiter import Clock


@dataclass
class RetryBudget:
    """Tracks one logical request's retries. `next_delay` answers how long to wait before the
    next attempt, or raises ShopifyUnavailable when the count or time budget is spent."""

    clock: Clock
    max_retries: int
    max_retry_time: float
    backoff_base: float
    backoff_max: float
    jitter: Callable[[], float] = random.random
    retries: int = 0
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    def backoff(self) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * 2**self.retries)
        # "Equal jitter": at least half the backoff, so clients never hammer in lockstep nor
        # retry immediately.
        return ceiling / 2 + self.jitter() * ceiling / 2

    def next_delay(
        self, reason: UnavailableReason, detail: str, server_wait: float | None = None
    ) -> float:
        """Delay before the next attempt; `server_wait` (Retry-After, throttle math) wins over
        the computed backoff when given."""
        delay = server_wait if server_wait is not None else self.backoff()
        delay = max(0.0, delay)
        elapsed = self.clock() - self.started
        if self.retries >= self.max_retries or elapsed + delay > self.max_retry_time:
            raise ShopifyUnavailable(reason, attempts=self.retries + 1, detail=detail)
        self.retries += 1
        return delay
