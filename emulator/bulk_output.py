"""Bulk query output: JSONL rows with `__parentId`, grouped or shuffled.

Grouped output (before 2026-01, or `groupObjects: true`) writes each object followed by its
children. From 2026-01 `groupObjects` defaults to false and Shopify no longer keeps children with
their parent ("Bulk operations group objects default changed to false", changelog 2025-10-29);
the emulator takes the reading hardest on a client: rows in a random order over the whole file,
so a child may come anywhere before or after its parent.
"""

import json
import random
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


def flatten(connection: dict[str, Any]) -> tuple[list[str], int]:
    """JSONL rows for a root connection: nested connection items become rows with `__parentId`."""
    rows: list[str] = []
    roots = (
        connection["nodes"]
        if "nodes" in connection
        else [e["node"] for e in connection.get("edges", [])]
    )

    def emit(node: dict[str, Any], parent_id: str | None) -> None:
        children = _children(node)
        if parent_id is not None:
            node["__parentId"] = parent_id
        rows.append(json.dumps(node, separators=(",", ":")))
        for _, items in children:
            for child in items:
                emit(child, node.get("id"))

    for root in roots:
        emit(root, None)
    return rows, len(roots)


class ShuffledSink:
    """Collects rows into random bucket files; `finish` writes them shuffled to `target`."""

    def __init__(self, directory: Path, rng: random.Random) -> None:
        self._rng = rng
        self._paths = [directory / f"bucket-{n}.jsonl" for n in range(BUCKETS)]
        self._files: list[IO[str]] = [path.open("w") for path in self._paths]

    def write(self, line: str) -> None:
        self._files[self._rng.randrange(BUCKETS)].write(line + "\n")

    def finish(self, target: IO[str]) -> None:
        for handle in self._files:
            handle.close()
        for path in self._paths:
            with path.open() as bucket:
                lines = bucket.readlines()
            self._rng.shuffle(lines)
            target.writelines(lines)
            path.unlink()

    def discard(self) -> None:
        for handle in self._files:
            handle.close()
        for path in self._paths:
            path.unlink(missing_ok=True)
