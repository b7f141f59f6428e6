"""What a bulk operation reports back: its progress, and one result per input line."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sync.product import ProductRecord
from sync.shopify.records import UserError

# (identifier or None, productSet input) for one product.
BulkProductSetLine = tuple[Mapping[str, Any] | None, Mapping[str, Any]]
# Told an operation's id and the count so far (objectCount of an import, summed over its files;
# rootObjectCount of an export), at every poll, so a run's log moves meanwhile.
Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class BulkLineResult:
    """One line of a bulk mutation: its `data`, or why it has none."""

    line: int
    data: Mapping[str, Any] | None
    error: str | None = None


@dataclass(frozen=True)
class BulkProductSetResult:
    """The outcome of one line of a bulk productSet, by 0-based line number."""

    line: int
    product: ProductRecord | None
    user_errors: list[UserError]
    error: str | None = None  # the line failed as a whole (GraphQL errors, or no result)

    @property
    def ok(self) -> bool:
        return self.product is not None and not self.user_errors and self.error is None


def bulk_count(value: Any) -> int:
    """BulkOperation counts are UnsignedInt64, which Shopify serialises as a string."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def line_result(position: int, line: Mapping[str, Any]) -> BulkLineResult:
    """A line of a result file: its `data`, or its GraphQL errors joined into one message."""
    errors = line.get("errors")
    if errors:
        messages = [
            str(e.get("message")) if isinstance(e, Mapping) else str(e)
            for e in (errors if isinstance(errors, list) else [errors])
        ]
        return BulkLineResult(position, line.get("data"), "; ".join(messages))
    data = line.get("data")
    return BulkLineResult(position, data if isinstance(data, Mapping) else None)
