"""Admin API versions: which ones the emulator serves at a given moment, and what each changed.

The one place that knows version names and dates. Shopify's rules
(https://shopify.dev/docs/api/usage/versioning):
- a stable version `YYYY-MM` (MM in 01/04/07/10) is released on the first day of its quarter at
  5 pm UTC and is supported for 12 months, until the release of the version four quarters later;
- the release candidate (the next quarter's version) and `unstable` are served but unsupported;
- "Shopify falls forward when your selected version becomes inaccessible": a retired, unknown or
  missing version is served as the oldest supported stable version, and the response's
  `X-Shopify-API-Version` header names the version that was served.

Which versions are supported depends on the emulator's clock, so a test can set the clock to
2025-12 to talk to a store that still serves 2025-10.
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

UNSTABLE = "unstable"
SUPPORT_MONTHS = 12
_HANDLE = re.compile(r"^(\d{4})-(01|04|07|10)$")

# Behaviour changes, by the first version that has them.
# "Bulk operations group objects default changed to false" (changelog 2025-10-29, 2026-01) and
# "Faster bulk operations" (changelog 2025-12-15, 2026-01: five operations at once, 100 MB
# uploads), "New queries for bulk operations" (changelog 2025-10-31: `bulkOperation(id:)`,
# `bulkOperations`).
BULK_2026_01 = "2026-01"
# bulkOperationRunMutation `clientIdentifier`: "Must be between 10 and 255 characters" (2027-01
# BulkMutationUserError docs).
CLIENT_IDENTIFIER_LENGTH = "2027-01"


def release(handle: str) -> datetime:
    """When a stable version was (or will be) released: the quarter's first day, 17:00 UTC."""
    match = _HANDLE.match(handle)
    if match is None:
        raise ValueError(f"not a stable API version: {handle!r}")
    return datetime(int(match[1]), int(match[2]), 1, 17, tzinfo=UTC)


def _shift(handle: str, quarters: int) -> str:
    year, month = int(handle[:4]), int(handle[5:])
    index = year * 4 + (month - 1) // 3 + quarters
    return f"{index // 4:04d}-{(index % 4) * 3 + 1:02d}"


def newest_stable(now: datetime) -> str:
    quarter_start = f"{now.year:04d}-{(now.month - 1) // 3 * 3 + 1:02d}"
    return quarter_start if now >= release(quarter_start) else _shift(quarter_start, -1)


def supported(now: datetime) -> list[str]:
    """Supported stable versions at `now`, oldest first."""
    newest = newest_stable(now)
    handles = [_shift(newest, -n) for n in range(SUPPORT_MONTHS // 3)]
    return sorted(h for h in handles if now < release(_shift(h, SUPPORT_MONTHS // 3)))


def release_candidate(now: datetime) -> str:
    return _shift(newest_stable(now), 1)


def support_ends(handle: str) -> datetime:
    return release(_shift(handle, SUPPORT_MONTHS // 3))


@dataclass(frozen=True)
class Served:
    """The version a request asked for and the one it got."""

    requested: str
    handle: str  # what the header says: a stable or release-candidate handle, or "unstable"

    @property
    def fell_forward(self) -> bool:
        return self.requested != self.handle

    def at_least(self, handle: str) -> bool:
        """Whether this version has the behaviour introduced in `handle`."""
        return self.handle == UNSTABLE or self.handle >= handle


def serve(requested: str, now: datetime) -> Served:
    """The version that answers a request for `requested` at `now`."""
    if requested == UNSTABLE or requested == release_candidate(now):
        return Served(requested, requested)
    stable = supported(now)
    if requested in stable:
        return Served(requested, requested)
    return Served(requested, stable[0])
