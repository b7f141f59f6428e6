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
    # THROTTLED answers so far: not failures, so not counted in `retries` (see next_delay)
    throttles: int = 0
    started: float = field(default=-1.0)

    def __post_init__(self) -> None:
        if self.started < 0:
            self.started = self.clock()

    @property
    def attempts(self) -> int:
        """Requests sent so far for this logical request."""
        return self.retries + self.throttles + 1

    def backoff(self, exponent: int | None = None) -> float:
        step = self.retries if exponent is None else exponent
        ceiling = min(self.backoff_max, self.backoff_base * 2**step)
        # "Equal jitter": at least half the backoff, so clients never hammer in lockstep nor
        # retry immediately.
        return ceiling / 2 + self.jitter() * ceiling / 2

    def next_delay(
        self,
        reason: UnavailableReason,
        detail: str,
        server_wait: float | None = None,
        throttled: bool = False,
    ) -> float:
        """Delay before the next attempt; `server_wait` (Retry-After, throttle math) wins over
        the computed backoff when given.

        A throttled request did not run and the bucket refills, so throttling is bounded by
        time only: the app's bucket is shared with every other process of ours on the store,
        and with a fast restore rate their draws can throttle one request many times within a
        second. From the second throttle in a row the wait is at least the backoff, so such
        a request does not hammer Shopify either."""
        if throttled:
            floor = self.backoff(self.throttles - 1) if self.throttles else 0.0
            delay = max(0.0, server_wait or 0.0, floor)
        else:
            delay = max(0.0, server_wait if server_wait is not None else self.backoff())
        elapsed = self.clock() - self.started
        if (not throttled and self.retries >= self.max_retries) or (
            elapsed + delay > self.max_retry_time
        ):
            raise ShopifyUnavailable(reason, attempts=self.attempts, detail=detail)
        if throttled:
            self.throttles += 1
        else:
            self.retries += 1
        return delay
