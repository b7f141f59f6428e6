"""Bulk query output: JSONL rows with `__parentId`, grouped or shuffled.

Grouped output (before 2026-01, or `groupObjects: true`) writes each object followed by its
children. From 2026-01 `groupObjects` defaults to false and Shopify no longer keeps children with
their parent ("Bulk operations group objects default changed to false", changelog 2025-10-29);
the emulator takes the reading hardest on a client: rows in a random order over the whole file,
so a child may come anywhere before or after its parent. One thing is kept: a parent's children
stay in their connection's order (variants by position, media in order), as nothing in Shopify's
docs says sibling order is lost and a client could not recover it otherwise.
"""

import json
import random
import shutil
from pathlib import Path
from typing import IO, Any

# Rows are spread over this many bucket files and each bucket is shuffled in memory, so a large
# export is shuffled without holding it all (the emulator often shares a process with what it
# measures).
BUCKETS = 64


def _children(node: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    found = []
    for key, value in list(node.items()):
        if isinstance(value, dict) and isinstance(value.get("nodes", value.get("edges")), list):
            items = value["nodes"] if "nodes" in value else [e["node"] for e in value["edges"]]
            found.append((key, items))
            del node[key]
    return found


Row = tuple[str, str | None]  # (JSON line, its __parentId)


def flatten(connection: dict[str, Any]) -> tuple[list[Row], int]:
    """JSONL rows for a root connection: nested connection items become rows with `__parentId`."""
    rows: list[Row] = []
    roots = (
        connection["nodes"]
        if "nodes" in connection
        else [e["node"] for e in connection.get("edges", [])]
    )

    def emit(node: dict[str, Any], parent_id: str | None) -> None:
        children = _children(node)
        if parent_id is not None:
            node["__parentId"] = parent_id
        rows.append((json.dumps(node, separators=(",", ":")), parent_id))
        for _, items in children:
            for child in items:
                emit(child, node.get("id"))

    for root in roots:
        emit(root, None)
    return rows, len(roots)


class ShuffledSink:
    """Spreads rows over bucket files chosen at random; `finish` concatenates the buckets.

    A root row goes to any bucket, so parents end up in random order and a child lands before or
    after its parent about half the time. A child goes to a bucket no earlier than its previous
    sibling's, which keeps siblings in order (one int per parent is remembered, not rows).
    """

    def __init__(self, directory: Path, rng: random.Random) -> None:
        self._rng = rng
        self._paths = [directory / f"bucket-{id(self)}-{n}.jsonl" for n in range(BUCKETS)]
        self._files: list[IO[str]] = [path.open("w") for path in self._paths]
        self._last_bucket: dict[str, int] = {}  # parent id -> bucket of its latest child

    def write(self, line: str, parent_id: str | None) -> None:
        if parent_id is None:
            bucket = self._rng.randrange(BUCKETS)
        else:
            bucket = self._rng.randrange(self._last_bucket.get(parent_id, 0), BUCKETS)
            self._last_bucket[parent_id] = bucket
        self._files[bucket].write(line + "\n")

    def finish(self, target: IO[str]) -> None:
        for handle in self._files:
            handle.close()
        for path in self._paths:
            with path.open() as bucket:
                shutil.copyfileobj(bucket, target)
            path.unlink()

    def discard(self) -> None:
        for handle in self._files:
            handle.close()
        for path in self._paths:
            path.unlink(missing_ok=True)
