"""Reading products: paged listing and single lookups, completed so nothing is truncated.

A page asks for a few nested variants/metafields/media per product to keep its cost under
Shopify's single-query limit; a product whose nested connection has more gets follow-up
`product(id:)` queries for the rest of that connection.
"""

from collections.abc import AsyncIterator, Mapping
from datetime import datetime
from typing import Any

from graphql import DocumentNode

from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.cost import (
    LIST_NESTED,
    MAX_PAGE,
    METAFIELD_NODE_COST,
    SINGLE_NESTED,
    NestedSizes,
    connection_cost,
    default_page_size,
    product_node_cost,
    products_page_cost,
)
from sync.shopify.errors import MaxCostExceeded
from sync.shopify.records import product_record
from sync.shopify.transport import GraphQLTransport

_FOLLOW_UPS: dict[str, tuple[DocumentNode, float]] = {
    "variants": (documents.PRODUCT_VARIANTS_PAGE_QUERY, 2),
    "metafields": (documents.PRODUCT_METAFIELDS_PAGE_QUERY, METAFIELD_NODE_COST),
    "media": (documents.PRODUCT_MEDIA_PAGE_QUERY, 2),
}


def updated_since_query(updated_since: str) -> str:
    """Shopify search syntax for "updated at or after"; the timestamp is parsed first so that
    nothing but a well-formed ISO 8601 instant can reach the search string."""
    try:
        instant = datetime.fromisoformat(updated_since.replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"updated_since is not an ISO 8601 timestamp: {updated_since!r}") from exc
    if instant.tzinfo is None:
        raise ValueError(f"updated_since needs a UTC offset: {updated_since!r}")
    text = instant.isoformat().replace("+00:00", "Z")
    return f"updated_at:>='{text}'"


class ProductReader:
    def __init__(self, transport: GraphQLTransport) -> None:
        self._transport = transport

    async def pages(
        self,
        updated_since: str | None = None,
        page_size: int | None = None,
        nested: NestedSizes = LIST_NESTED,
    ) -> AsyncIterator[list[ProductRecord]]:
        size = min(MAX_PAGE, page_size or default_page_size(nested))
        query = updated_since_query(updated_since) if updated_since else None
        after: str | None = None
        while True:
            variables: dict[str, Any] = {"first": size, "after": after, "query": query}
            variables.update(nested.variables())
            try:
                data = await self._transport.execute(
                    documents.PRODUCTS_PAGE_QUERY,
                    variables,
                    estimated_cost=products_page_cost(size, nested),
                )
            except MaxCostExceeded:
                if size == 1:
                    raise
                size = max(1, size // 2)  # same cursor, smaller page
                continue
            connection = data.get("products") or {}
            nodes = [n for n in connection.get("nodes") or [] if n]
            records = [product_record(await self.complete(node)) for node in nodes]
            if records:
                yield records
            page_info = connection.get("pageInfo") or {}
            if not page_info.get("hasNextPage") or not page_info.get("endCursor"):
                return
            after = str(page_info["endCursor"])

    async def products(
        self, updated_since: str | None = None, page_size: int | None = None
    ) -> AsyncIterator[ProductRecord]:
        async for page in self.pages(updated_since, page_size):
            for record in page:
                yield record

    async def product(
        self, product_id: str, nested: NestedSizes = SINGLE_NESTED
    ) -> ProductRecord | None:
        variables: dict[str, Any] = {"id": product_id, **nested.variables()}
        data = await self._transport.execute(
            documents.PRODUCT_QUERY, variables, estimated_cost=product_node_cost(nested)
        )
        node = data.get("product")
        return product_record(await self.complete(node)) if node else None

    async def product_by_identifier(self, identifier: Mapping[str, Any]) -> ProductRecord | None:
        variables: dict[str, Any] = {"identifier": dict(identifier), **SINGLE_NESTED.variables()}
        data = await self._transport.execute(
            documents.PRODUCT_BY_IDENTIFIER_QUERY,
            variables,
            estimated_cost=product_node_cost(SINGLE_NESTED),
        )
        node = data.get("productByIdentifier")
        return product_record(await self.complete(node)) if node else None

    async def complete(self, node: Mapping[str, Any]) -> dict[str, Any]:
        """Return the node with every truncated nested connection fetched to its end."""
        full = dict(node)
        for name, (document, node_cost) in _FOLLOW_UPS.items():
            connection = full.get(name)
            if not isinstance(connection, Mapping):
                continue
            page_info = connection.get("pageInfo") or {}
            if not page_info.get("hasNextPage"):
                continue
            items = list(connection.get("nodes") or [])
            after = page_info.get("endCursor")
            while after:
                data = await self._transport.execute(
                    document,
                    {"id": full["id"], "first": MAX_PAGE, "after": after},
                    estimated_cost=1 + connection_cost(MAX_PAGE, node_cost),
                )
                page = ((data.get("product") or {}).get(name)) or {}
                items.extend(page.get("nodes") or [])
                info = page.get("pageInfo") or {}
                after = info.get("endCursor") if info.get("hasNextPage") else None
            full[name] = {"nodes": items, "pageInfo": {"hasNextPage": False, "endCursor": None}}
        return full
