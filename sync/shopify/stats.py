"""Counters a client keeps so runs and benchmarks can report what Shopify traffic cost."""

from dataclasses import asdict, dataclass


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent to the GraphQL endpoint, retries included
    retries: int = 0
    throttled: int = 0  # THROTTLED answers and HTTP 429s
    requested_cost: float = 0.0
    actual_cost: float = 0.0
    limiter_wait: float = 0.0  # seconds spent waiting for the cost bucket to refill
    retry_wait: float = 0.0  # seconds spent in backoff between retries

    def as_dict(self) -> dict[str, float]:
        return asdict(self)
