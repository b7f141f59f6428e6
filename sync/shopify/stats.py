"""Counters a client keeps so runs and benchmarks can report what Shopify traffic cost."""

import logging
from dataclasses import asdict, dataclass

log = logging.getLogger("sigma.shopify")


@dataclass
class ClientStats:
    requests: int = 0  # HTTP requests sent to the GraphQL endpoint, retries included
    retries: int = 0
    throttled: int = 0  # THROTTLED answers and HTTP 429s
    requested_cost: float = 0.0
    actual_cost: float = 0.0
    limiter_wait: float = 0.0  # seconds spent waiting for the cost bucket to refill
    retry_wait: float = 0.0  # seconds spent in backoff between retries
    # The version Shopify answered with when it differs from the requested one (see below).
    api_version_served: str | None = None

    def as_dict(self) -> dict[str, float]:
        counters = asdict(self)
        counters.pop("api_version_served")
        return counters


def note_served_version(stats: ClientStats, requested: str, served: str | None) -> None:
    """Compare a response's X-Shopify-API-Version with the version asked for.

    Shopify answers a request for a version it no longer supports with the oldest supported
    one ("falls forward", https://shopify.dev/docs/api/usage/versioning) and only this header
    says so: the documents we send may then meet a schema they were not written for. The
    first difference is kept for the run's log and logged once per client.
    """
    if not served or served == requested or stats.api_version_served == served:
        return
    stats.api_version_served = served
    log.warning(
        "Shopify answered API version %s although %s was requested (the requested version "
        "is no longer served); set the channel's apiVersion to a supported version",
        served,
        requested,
    )
