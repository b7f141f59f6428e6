"""Finding link candidates: products whose SKU, handle or barcode matches a search query.

Only what pairing needs is read (id, handle, every variant's id, SKU and barcode, the identity
metafield), so a search page costs ~14 points per product instead of ~60 for a full product.
The records it yields carry those fields only; the rest are empty.
"""

from collections.abc import AsyncIterator
from typing import Any

from sync.identity import IDENTITY_KEY, IDENTITY_NAMESPACE
from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.cost import MAX_PAGE, connection_cost
from sync.shopify.records import product_record
from sync.shopify.transport import GraphQLTransport

VARIANTS_FIRST = 10
# product + identity metafield + its first variants (id, sku, barcode: one point each)
_NODE_COST = 2 + connection_cost(VARIANTS_FIRST, 1)
_VARIANT_PAGE_COST = 1 + connection_cost(MAX_PAGE, 2)
# Before the store has said how big its bucket is, pages stay small.
_UNKNOWN_BUCKET_PAGE = 3
MAX_SEARCH_PAGE = 50


def page_size(maximum: float | None) -> int:
    """Products per search page: half the bucket at most, so searches never starve writes."""
    if maximum is None:
        return _UNKNOWN_BUCKET_PAGE
    return max(1, min(MAX_SEARCH_PAGE, int((maximum / 2 - 2) // _NODE_COST)))


async def _all_variants(transport: GraphQLTransport, node: dict[str, Any]) -> list[Any]:
    connection = node.get("variants") or {}
    variants = list(connection.get("nodes") or [])
    info = connection.get("pageInfo") or {}
    after = info.get("endCursor") if info.get("hasNextPage") else None
    while after:
        data = await transport.execute(
            documents.PRODUCT_VARIANTS_PAGE_QUERY,
            {"id": node["id"], "first": MAX_PAGE, "after": after},
            estimated_cost=_VARIANT_PAGE_COST,
        )
        page = ((data.get("product") or {}).get("variants")) or {}
        variants.extend(page.get("nodes") or [])
        info = page.get("pageInfo") or {}
        after = info.get("endCursor") if info.get("hasNextPage") else None
    return variants


async def store_has_products(transport: GraphQLTransport) -> bool:
    """One product's id or none: lets a first push into an empty store skip reading it."""
    data = await transport.execute(
        documents.PRODUCT_KEYS_SEARCH_QUERY,
        {
            "first": 1,
            "after": None,
            "query": None,
            "namespace": IDENTITY_NAMESPACE,
            "key": IDENTITY_KEY,
            "variantsFirst": 0,
        },
        estimated_cost=connection_cost(1, 4),
    )
    return bool((data.get("products") or {}).get("nodes"))


async def search_product_keys(
    transport: GraphQLTransport, query: str, maximum: float | None
) -> AsyncIterator[list[ProductRecord]]:
    size = page_size(maximum)
    after: str | None = None
    while True:
        variables: dict[str, Any] = {
            "first": size,
            "after": after,
            "query": query,
            "namespace": IDENTITY_NAMESPACE,
            "key": IDENTITY_KEY,
            "variantsFirst": VARIANTS_FIRST,
        }
        data = await transport.execute(
            documents.PRODUCT_KEYS_SEARCH_QUERY,
            variables,
            estimated_cost=connection_cost(size, _NODE_COST),
        )
        connection = data.get("products") or {}
        records = []
        for node in connection.get("nodes") or []:
            if not node:
                continue
            identity = node.get("metafield")
            records.append(
                product_record(
                    {
                        "id": node["id"],
                        "handle": node.get("handle"),
                        "variants": await _all_variants(transport, node),
                        "metafields": [identity] if identity else [],
                    }
                )
            )
        if records:
            yield records
        info = connection.get("pageInfo") or {}
        if not info.get("hasNextPage") or not info.get("endCursor"):
            return
        after = str(info["endCursor"])
