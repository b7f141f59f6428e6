"""Shopify Admin API versions: which ones this service can use and how long Shopify serves each.

Pure standard library, so that the emulator may import it as well as the client.

Shopify's calendar (https://shopify.dev/docs/api/usage/versioning): a stable version `YYYY-MM`
(MM one of 01, 04, 07, 10) is released on the first day of its quarter and supported for at
least 12 months; the docs' schedule table gives exactly one year (2023-01: January 1, 2023 to
January 1, 2024). A request for a version no longer supported "falls forward" to the oldest
supported stable version, and the `X-Shopify-API-Version` response header names the version
that answered. `unstable` has every feature and no stability promise.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

# The newest stable version this service was tested against (2026-10 was released 2026-10-01).
DEFAULT_API_VERSION = "2026-10"
UNSTABLE = "unstable"

# Each feature this service relies on, with the first stable version that has it.
FEATURES = {
    # productSet(identifier: {customId}) upserts: every create is keyed by it, so a lost reply
    # never duplicates a product (https://shopify.dev/changelog/productset-and-customerset-mutations-now-support-upserts).
    "productSetIdentifier": "2025-04",
    # bulkOperationRunQuery's groupObjects defaults to false from 2026-01 (changelog "Bulk
    # operations group objects default changed to false", 2025-10-29).
    "ungroupedBulkOutput": "2026-01",
    # bulkOperation(id:) and the bulkOperations connection (changelog "New queries for bulk
    # operations", 2025-10-31) and five concurrent bulk operations per shop (changelog "Faster
    # bulk operations", 2025-12-15) both start with 2026-01.
    "bulkOperationsQuery": "2026-01",
    "concurrentBulkOperations": "2026-01",
}
# Versions older than this lack a feature every run needs and are refused for a channel.
OLDEST_USABLE = "2025-04"
# A channel's version this close to its end of support is flagged.
WARN_BEFORE_END = timedelta(days=90)

_PATTERN = re.compile(r"^(20\d\d)-(01|04|07|10)$")


@dataclass(frozen=True, order=True)
class ApiVersion:
    year: int
    month: int

    @property
    def name(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def released(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def end_of_support(self) -> date:
        """The first day Shopify no longer promises to serve it (the docs' minimum)."""
        return date(self.year + 1, self.month, 1)


def parse(text: str) -> ApiVersion | None:
    """`2026-10` -> ApiVersion; None for `unstable` and for anything that is not a version."""
    match = _PATTERN.match(text)
    return ApiVersion(int(match[1]), int(match[2])) if match else None


def is_version(text: str) -> bool:
    return text == UNSTABLE or parse(text) is not None


def has_feature(version: str, feature: str) -> bool:
    """Whether `version` has one of FEATURES; `unstable` has them all."""
    first = parse(FEATURES[feature])
    assert first is not None
    parsed = parse(version)
    return version == UNSTABLE or (parsed is not None and parsed >= first)


def refusal(version: str) -> str | None:
    """Why a channel cannot use `version`, or None when it can."""
    if not is_version(version):
        return (
            f"apiVersion {version!r} is not a Shopify API version "
            "(YYYY-01, -04, -07, -10 or unstable)"
        )
    if not has_feature(version, "productSetIdentifier"):
        return (
            f"apiVersion {version} lacks productSet upserts by identifier, which every push "
            f"relies on; the oldest version this service supports is {OLDEST_USABLE}"
        )
    return None


def oldest_supported(today: date) -> ApiVersion:
    """The oldest stable version Shopify still serves on `today`: where retired ones fall to."""
    year, month = today.year - 1, today.month
    # The version released on the first quarter start after one year ago is still supported.
    quarter = ((month - 1) // 3) * 3 + 1
    candidate = ApiVersion(year, quarter)
    if candidate.end_of_support <= today:
        candidate = ApiVersion(year, quarter + 3) if quarter < 10 else ApiVersion(year + 1, 1)
    return candidate


def served_version(requested: str, today: date) -> str:
    """The version Shopify answers a request for `requested` with on `today`."""
    parsed = parse(requested)
    if parsed is None:
        return requested
    oldest = oldest_supported(today)
    return oldest.name if parsed < oldest else requested


def warning(version: str, today: date) -> str | None:
    """A warning for a channel's version: retired, near its end of support, unreleased, unstable."""
    if version == UNSTABLE:
        return "apiVersion unstable may change without notice; pin a stable version for production"
    parsed = parse(version)
    if parsed is None:
        return None
    end = parsed.end_of_support
    if today < parsed.released:
        return f"apiVersion {version} is not released yet (due {parsed.released.isoformat()})"
    if today >= end:
        return (
            f"apiVersion {version} is no longer supported by Shopify (since {end.isoformat()}); "
            f"requests fall forward to {served_version(version, today)}: "
            f"set apiVersion to {DEFAULT_API_VERSION}"
        )
    if end - today <= WARN_BEFORE_END:
        return (
            f"apiVersion {version} reaches its end of support on {end.isoformat()} "
            f"({(end - today).days} days); Shopify then falls forward to a newer version: "
            f"set apiVersion to {DEFAULT_API_VERSION}"
        )
    return None
