"""The emulator's clock: wall time at second precision, adjustable by tests, never going
backwards."""

import time
from datetime import UTC, datetime


class Clock:
    """Second-precision UTC clock.

    Shopify timestamps have second precision, so two changes within one second share a timestamp;
    this clock reproduces that but never goes backwards between calls (unless `set` moves it).
    Tests can `advance` or `set` it to make `updated_at` filters deterministic.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._offset = 0.0
        self._last = 0
        if start is not None:
            self.set(start)

    def now(self) -> int:
        current = int(time.time() + self._offset)
        self._last = max(self._last, current)
        return self._last

    def moment(self) -> datetime:
        """`now()` as an aware datetime."""
        return datetime.fromtimestamp(self.now(), UTC)

    def precise(self) -> float:
        """Sub-second time on the same (adjustable) clock, for short delays such as media
        processing."""
        return time.time() + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    def set(self, moment: datetime) -> None:
        self._offset = moment.timestamp() - time.time()
        self._last = int(moment.timestamp())


def iso(epoch: int) -> str:
    """Shopify's DateTime format: ISO 8601 UTC with a Z, second precision."""
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_iso(text: str) -> int:
    """Parse the timestamps Shopify's search syntax accepts ('2026-01-01', '...T00:00:00Z')."""
    value = text.strip().strip("'\"")
    if value.endswith("Z"):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())
