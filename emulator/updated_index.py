"""Products ordered by `updated_at`, so an `updated_at:>=` search reads only what it returns.

Shopify answers `products(query: "updated_at:>='…'")` from a search index, at a cost that follows
the matches, not the catalogue: https://shopify.dev/docs/api/usage/search-syntax lists
`updated_at` among the searchable product fields with range comparators. Scanning every product
in Python made the emulator's answer to a sync's no-change query grow with the store (0.135 s at
100,000 products against 0.040 s at 10,000, bench/results/2026-11-30-steady-*.md) and hid the
engine's own cost in the benchmark.

A sorted list of (updated_at, product id) with bisection: a range lookup costs O(log n + k). The
clock never goes backwards, so a touched product moves to (or near) the end; the `del` of its old
entry shifts the list's tail, a memmove of microseconds at 100,000 entries.
"""

from bisect import bisect_left, insort
from collections.abc import Iterator


class UpdatedIndex:
    def __init__(self) -> None:
        self._entries: list[tuple[int, int]] = []
        self._moments: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def place(self, product_id: int, updated_at: int) -> None:
        """Record `product_id` under `updated_at` (moving it if it was indexed before)."""
        previous = self._moments.get(product_id)
        if previous == updated_at:
            return
        if previous is not None:
            self._drop(product_id, previous)
        self._moments[product_id] = updated_at
        insort(self._entries, (updated_at, product_id))

    def remove(self, product_id: int) -> None:
        previous = self._moments.pop(product_id, None)
        if previous is not None:
            self._drop(product_id, previous)

    def _drop(self, product_id: int, moment: int) -> None:
        at = bisect_left(self._entries, (moment, product_id))
        del self._entries[at]

    def between(self, lowest: int | None, highest: int | None) -> Iterator[int]:
        """Ids of the products with `lowest <= updated_at <= highest` (None: unbounded), oldest
        first."""
        entries = self._entries
        start = 0 if lowest is None else bisect_left(entries, (lowest, -1))
        for moment, product_id in entries[start:] if start else entries:
            if highest is not None and moment > highest:
                return
            yield product_id
