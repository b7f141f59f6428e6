"""Regrouping an ungrouped bulk-query result on disk, in memory that does not grow with the store.

From API 2026-01 `bulkOperationRunQuery` no longer groups children under their parent unless
asked (`groupObjects` defaults to false; Shopify's changelog "Bulk operations group objects
default changed to false"), and Shopify says not to rely on line order at all: a variant may be
written before its product, or thousands of lines after it. Asking for grouped output would
make Shopify's side slower and likelier to fail ("grouping is costly ... increases the chances
of failures such as timeouts", bulkOperationRunQuery's argument docs), so every result is read
the same way: each line goes into a temporary SQLite file keyed by its product, an index sorts
them there (on disk, in SQLite's small page cache), and products come out one at a time with
their children. Grouped output is just the easy case of the same path.

Within a product, children keep their file order, except variants, which are sorted by
`position` when the line carries it (the bulk query selects it), since file order is not
guaranteed on ungrouped output.
"""

import asyncio
import contextlib
import os
import sqlite3
import tempfile
from collections.abc import AsyncIterator
from typing import Any

from sync.shopify.bulk_jsonl import child_connection, parse_line
from sync.shopify.errors import ShopifyBulkOperationError

# Lines parsed and inserted per worker-thread call; rows read back per call.
_WRITE_BATCH = 2000
_READ_BATCH = 500


class DiskReassembler:
    """Feed raw JSONL lines with `add`; then iterate `products()` once; `close` removes the file.

    Use as `async with DiskReassembler() as spool:`. SQLite calls run in a worker thread so a
    large result does not stall the event loop (heartbeats, other runs' polls).
    """

    def __init__(self, directory: str | None = None) -> None:
        handle, self.path = tempfile.mkstemp(prefix="sigma-bulk-", suffix=".sqlite", dir=directory)
        os.close(handle)
        self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        for pragma in (
            "journal_mode=OFF",  # a scratch file: nothing to recover after a crash
            "synchronous=OFF",
            "temp_store=FILE",
            "cache_size=-4096",  # KiB: the page cache, i.e. what the sort may hold in memory
        ):
            self._db.execute(f"PRAGMA {pragma}")
        self._db.execute(
            "CREATE TABLE line (owner TEXT NOT NULL, child INTEGER NOT NULL, "
            "seq INTEGER NOT NULL, body BLOB NOT NULL)"
        )
        self._pending: list[bytes] = []
        self._seq = 0
        self.lines = 0

    async def __aenter__(self) -> "DiskReassembler":
        return self

    async def __aexit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)

    async def add(self, raw: bytes) -> None:
        self._pending.append(raw)
        if len(self._pending) >= _WRITE_BATCH:
            await self._flush()

    async def add_all(self, lines: AsyncIterator[bytes]) -> None:
        async for raw in lines:
            await self.add(raw)
        await self._flush()

    async def _flush(self) -> None:
        batch, self._pending = self._pending, []
        if batch:
            start, self._seq = self._seq, self._seq + len(batch)
            self.lines += len(batch)
            await asyncio.to_thread(self._insert, batch, start)

    def _insert(self, batch: list[bytes], start: int) -> None:
        rows = []
        for offset, raw in enumerate(batch):
            line = parse_line(raw)
            parent = line.get("__parentId")
            if parent is None:
                if "id" not in line:
                    raise ShopifyBulkOperationError("a bulk result line has neither id nor parent")
                rows.append((str(line["id"]), 0, start + offset, raw))
            else:
                rows.append((str(parent), 1, start + offset, raw))
        self._db.execute("BEGIN")
        self._db.executemany("INSERT INTO line VALUES (?, ?, ?, ?)", rows)
        self._db.execute("COMMIT")

    async def products(self) -> AsyncIterator[dict[str, Any]]:
        """Product nodes with `{nodes: [...]}` connections, in product-id order."""
        await self._flush()
        await asyncio.to_thread(
            self._db.execute, "CREATE INDEX line_owner ON line (owner, child, seq)"
        )
        cursor = self._db.execute(
            "SELECT owner, child, body FROM line INDEXED BY line_owner ORDER BY owner, child, seq"
        )
        current: dict[str, Any] | None = None
        while rows := await asyncio.to_thread(cursor.fetchmany, _READ_BATCH):
            for owner, child, body in rows:
                if not child:
                    if current is not None:
                        yield _finished(current)
                    current = _empty_product(parse_line(body))
                elif current is None or current["id"] != owner:
                    raise ShopifyBulkOperationError(
                        f"bulk result has children of {owner} but no line for it"
                    )
                else:
                    _attach(current, parse_line(body))
        if current is not None:
            yield _finished(current)


def _empty_product(line: dict[str, Any]) -> dict[str, Any]:
    product = dict(line)
    for name in ("variants", "metafields", "media"):
        product[name] = {"nodes": []}
    return product


def _attach(product: dict[str, Any], child: dict[str, Any]) -> None:
    connection = child_connection(child)
    child.pop("__parentId", None)
    product[connection]["nodes"].append(child)


def _finished(product: dict[str, Any]) -> dict[str, Any]:
    variants: list[dict[str, Any]] = product["variants"]["nodes"]
    if all(isinstance(v.get("position"), int) for v in variants):
        variants.sort(key=lambda v: int(v["position"]))
    for variant in variants:
        variant.pop("position", None)
    return product
