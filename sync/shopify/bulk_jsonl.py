"""Reading bulk-operation JSONL results: streaming lines and regrouping products.

Assumption (documented by Shopify only loosely, observed in practice): a child line
(`__parentId`) is written after its parent, and all of a product's children
come before the next product's line. The assembler therefore emits a product as soon as the
next product begins, holding one product in memory instead of the whole file. Children that
arrive before their parent are buffered until it appears; a child of a product already
emitted breaks the assumption and raises rather than silently truncating that product.
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


async def jsonl_lines(chunks: AsyncIterator[bytes]) -> AsyncIterator[dict[str, Any]]:
    """Parse JSONL from byte chunks without holding the file (lines may exceed any buffer)."""
    buffer = b""
    async for chunk in chunks:
        buffer += chunk
        *complete, buffer = buffer.split(b"\n")
        for raw in complete:
            if raw.strip():
                yield _parse_line(raw)
    if buffer.strip():
        yield _parse_line(buffer)


def _parse_line(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ShopifyBulkOperationError("a bulk operation result line is not valid JSON") from exc
    if not isinstance(value, dict):
        raise ShopifyBulkOperationError("a bulk operation result line is not a JSON object")
    return value


class ProductAssembler:
    """Feeds JSONL lines in; hands out product nodes (with `{nodes: [...]}` connections)."""

    def __init__(self) -> None:
        self._current: dict[str, Any] | None = None
        self._emitted: set[str] = set()
        self._early: dict[str, list[dict[str, Any]]] = {}

    def feed(self, line: dict[str, Any]) -> dict[str, Any] | None:
        parent = line.get("__parentId")
        if parent is None:
            finished = self._current
            if finished is not None:
                self._emitted.add(str(finished["id"]))
            self._current = _empty_product(line)
            for child in self._early.pop(str(line.get("id")), []):
                _attach(self._current, child)
            return finished
        parent = str(parent)
        if self._current is not None and parent == self._current["id"]:
            _attach(self._current, line)
        elif parent in self._emitted:
            raise ShopifyBulkOperationError(
                f"bulk result lines out of order: a child of {parent} came after later products"
            )
        else:
            self._early.setdefault(parent, []).append(line)
        return None

    def finish(self) -> dict[str, Any] | None:
        finished, self._current = self._current, None
        return finished


def _empty_product(line: Mapping[str, Any]) -> dict[str, Any]:
    product = dict(line)
    for name in ("variants", "metafields", "media"):
        product[name] = {"nodes": []}
    return product


def _attach(product: dict[str, Any], child: Mapping[str, Any]) -> None:
    node = {k: v for k, v in child.items() if k != "__parentId"}
    product[child_connection(child)]["nodes"].append(node)
