"""Shopify's limits on bulk operations: upload size, operations at once per shop, chunking.

Facts (Shopify changelog "Faster bulk operations", 2025-12-15, effective 2026-01): an app may
run up to five bulk operations per shop at once, queries and mutations together, and a staged
JSONL upload may be 100 MB. Before 2026-01: one query and one mutation at a time, and 20 MB
(the staged upload's storage policy says `MaxSizeAllowed 20971520`).
"""

import asyncio
import contextlib
import weakref
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field

from sync.shopify.versions import has_feature

MB = 1024 * 1024
# Room for the multipart framing around the file and for a limit Shopify counts in MB = 10**6.
UPLOAD_MARGIN = 0.95
MAX_CONCURRENT = 5


def upload_limit(api_version: str) -> int:
    """Bytes a staged bulk-mutation JSONL file may have on `api_version`."""
    return 100 * MB if has_feature(api_version, "concurrentBulkOperations") else 20 * MB


def chunk_budget(limit: int) -> int:
    return int(limit * UPLOAD_MARGIN)


def concurrent(api_version: str) -> bool:
    """Whether up to five operations of any type may run at once (else one of each type)."""
    return has_feature(api_version, "concurrentBulkOperations")


class ShopSlots:
    """Bulk operations running on one shop from this process, across all its channels.

    Shopify counts the limit per app and shop, so two channels on one store share it: each
    holds a slot for the whole life of an operation (start to result), and waits for one
    otherwise instead of being refused.
    """

    def __init__(self) -> None:
        self._running = {"QUERY": 0, "MUTATION": 0}
        self._changed = asyncio.Condition()
        self.peak = 0

    @property
    def running(self) -> int:
        return sum(self._running.values())

    def _free(self, kind: str, many: bool) -> bool:
        if self.running >= MAX_CONCURRENT:
            return False
        return many or self._running[kind] == 0

    @contextlib.asynccontextmanager
    async def hold(self, kind: str, api_version: str) -> AsyncIterator[None]:
        many = concurrent(api_version)
        async with self._changed:
            await self._changed.wait_for(lambda: self._free(kind, many))
            self._running[kind] += 1
            self.peak = max(self.peak, self.running)
        try:
            yield
        finally:
            async with self._changed:
                self._running[kind] -= 1
                self._changed.notify_all()


# asyncio primitives belong to one event loop; one registry per loop keeps tests independent.
_REGISTRY: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, ShopSlots]]" = (
    weakref.WeakKeyDictionary()
)


def shop_slots(shop_domain: str) -> ShopSlots:
    """The one ShopSlots of `shop_domain` in this process (and event loop)."""
    shops = _REGISTRY.setdefault(asyncio.get_running_loop(), {})
    return shops.setdefault(shop_domain.lower(), ShopSlots())


@dataclass
class Chunk:
    """Lines for one bulk operation: their positions in the caller's list, and their bytes."""

    lines: list[int] = field(default_factory=list)
    size: int = 0


def byte_chunks(
    encoded: Sequence[bytes], max_bytes: int, max_lines: int | None = None
) -> tuple[list[Chunk], list[int]]:
    """Split newline-terminated lines into files of at most `max_bytes` (and `max_lines`).

    Returns the chunks and the positions of lines that alone exceed `max_bytes`: no file can
    carry them, so they are those items' errors rather than a failed operation.
    """
    chunks: list[Chunk] = []
    oversize: list[int] = []
    current = Chunk()
    for position, line in enumerate(encoded):
        if len(line) > max_bytes:
            oversize.append(position)
            continue
        full = max_lines is not None and len(current.lines) >= max_lines
        if current.lines and (full or current.size + len(line) > max_bytes):
            chunks.append(current)
            current = Chunk()
        current.lines.append(position)
        current.size += len(line)
    if current.lines:
        chunks.append(current)
    return chunks, oversize
