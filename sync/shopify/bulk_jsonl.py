"""Reading bulk-operation JSONL results: streaming lines, and telling child lines apart.

Query results are regrouped by `sync.shopify.bulk_reassembly` (Shopify does not promise any
line order); mutation results are matched to their input by `__lineNumber`.
"""

import json
from collections.abc import AsyncIterator, Mapping
from typing import Any

from sync.shopify.errors import ShopifyBulkOperationError

_CHILD_CONNECTION = {"ProductVariant": "variants", "Metafield": "metafields"}


def gid_type(gid: str) -> str:
    # gid://shopify/ProductVariant/123 -> ProductVariant
    parts = gid.split("/")
    return parts[3] if len(parts) > 4 and gid.startswith("gid://") else ""


def child_connection(line: Mapping[str, Any]) -> str:
    kind = gid_type(str(line.get("id") or ""))
    # Media nodes are MediaImage, Video, ExternalVideo or Model3d.
    return _CHILD_CONNECTION.get(kind, "media")


async def jsonl_raw_lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    """Split byte chunks into non-empty lines without holding the file (a line may span chunks)."""
    buffer = b""
    async for chunk in chunks:
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for raw in complete:
            if raw.strip():
                yield raw
    if buffer.strip():
        yield buffer


async def jsonl_lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, Any]]:
    """Parse JSONL from byte chunks, one object per line."""
    async for raw in jsonl_raw_lines(chunks):
        yield parse_line(raw)


def parse_line(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ShopifyBulkOperationError("a bulk operation result line is not valid JSON") from exc
    if not isinstance(value, dict):
        raise ShopifyBulkOperationError("a bulk operation result line is not a JSON object")
    return value
