"""Relay cursor pagination over in-memory lists, with Shopify-style opaque keyset cursors.

A cursor is base64 JSON `{"last_id": N, "last_value": V}` like Shopify's, so pages stay stable when
items before the cursor are inserted or deleted.
"""

import base64
import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Generic, TypeVar

from graphql import GraphQLError

T = TypeVar("T")
SortKey = tuple[Any, int]


@dataclass
class Page(Generic[T]):
    items: list[T]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def encode_cursor(key: SortKey) -> str:
    payload = json.dumps({"last_id": key[1], "last_value": key[0]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> SortKey:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded))
        return (payload["last_value"], int(payload["last_id"]))
    except (ValueError, KeyError, TypeError) as exc:
        raise GraphQLError(f"Invalid cursor for current pagination sort. ({cursor})") from exc


def check_page_size(first: int | None, last: int | None, maximum: int) -> None:
    """Shopify refuses unsized connections and pages over the maximum."""
    if first is None and last is None:
        raise GraphQLError("you must provide one of first or last")
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= maximum:
            raise GraphQLError(f"The {name} argument must be between 0 and {maximum}.")


def paginate(
    items: Sequence[T],
    key: Callable[[T], SortKey],
    *,
    first: int | None,
    last: int | None,
    after: str | None,
    before: str | None,
    reverse: bool = False,
) -> Page[T]:
    """Slice `items` (sorted here by `key`, then reversed if asked) per the Relay algorithm.

    Keys must be unique (they end in an id), so the descending order is the ascending one
    reversed, and cursor bounds are found by bisection instead of a scan.
    """
    keyed = sorted(zip(map(key, items), items, strict=True), key=itemgetter(0))
    ascending = [k for k, _ in keyed]
    if reverse:
        keyed.reverse()
    count = len(keyed)
    start, end = 0, count
    if after is not None:
        bound = decode_cursor(after)
        # The items at or before the cursor in page order.
        start = count - bisect_left(ascending, bound) if reverse else bisect_right(ascending, bound)
    if before is not None:
        bound = decode_cursor(before)
        kept = count - bisect_right(ascending, bound) if reverse else bisect_left(ascending, bound)
        end = max(start, kept)
    window_start, window_end = start, end
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    chosen = keyed[start:end]
    return Page(
        items=[item for _, item in chosen],
        cursors=[encode_cursor(k) for k, _ in chosen],
        has_next=end < window_end or (before is not None and end < len(keyed)),
        has_previous=start > window_start or (after is not None and start > 0),
    )
