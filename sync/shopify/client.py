"""The Shopify Admin GraphQL client: one gql Client session per store, shared by every operation.

async with ShopifyClient(config) as client:
    info = await client.shop()
    async for product in client.iter_products(updated_since="2026-01-01T00:00:00Z"):
        ...
"""

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import aiohttp
from gql.client import AsyncClientSession
from graphql import DocumentNode

from sync.identity import identity_identifier
from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.bulk import BulkOperations
from sync.shopify.bulk_client import BulkClient
from sync.shopify.config import ShopifyConfig
from sync.shopify.cost import (
    LIST_NESTED,
    MUTATION_COST,
    SINGLE_NESTED,
    NestedSizes,
    product_set_cost,
)
from sync.shopify.errors import ShopifyError
from sync.shopify.gql_client import ShopifyGQLClient
from sync.shopify.http_transport import ShopifyHTTPTransport
from sync.shopify.identity_definition import ensure_identity_definition
from sync.shopify.key_search import search_product_keys, store_has_products
from sync.shopify.limiter import Clock, CostLimiter, Sleep
from sync.shopify.product_reads import ProductReader
from sync.shopify.records import ProductSetResult, ShopInfo, UserError
from sync.shopify.remote_client import RemoteClient
from sync.shopify.stats import ClientStats
from sync.shopify.transport import GraphQLTransport

# Shopify accepts at most 25 metafields per metafieldsSet call (MetafieldsSetInput docs).
METAFIELDS_SET_MAX = 25
# productSet returns only the product id: no nested connection adds to its cost.
_ID_ONLY = NestedSizes(variants=0, metafields=0, media=0)


class ShopifyClient(BulkClient, RemoteClient):
    def __init__(
        self,
        config: ShopifyConfig,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        connection_limit: int = 20,
    ) -> None:
        self.config = config
        self.stats = ClientStats()
        self.limiter = CostLimiter(clock=clock, sleep=sleep, on_wait=self._count_wait)
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._connection_limit = connection_limit
        self._gql: ShopifyGQLClient | None = None
        self._session: aiohttp.ClientSession | None = None
        self._transport: GraphQLTransport | None = None
        # Channels whose leftover bulk operations (from a crashed run) this client has ended.
        self._bulk_owners: set[str] = set()
        self.bulk_recovered: list[str] = []
        # Set by a sync run (sync.lease): raises before any mutation once the run's lease may
        # have passed to another process, so a stalled process never writes beside its successor.
        self.write_guard: Callable[[], None] | None = None

    def _count_wait(self, seconds: float) -> None:
        self.stats.limiter_wait += seconds

    def _guard_write(self) -> None:
        if self.write_guard is not None:
            self.write_guard()

    def __repr__(self) -> str:
        return f"ShopifyClient({self.config!r})"

    async def __aenter__(self) -> Self:
        http = ShopifyHTTPTransport(self.config, self.stats, self._connection_limit)
        # The schema is parsed only for a document not validated ahead of time (gql_client).
        self._gql = ShopifyGQLClient(http, self.config.api_version)
        gql_session = await self._gql.connect_async()
        assert isinstance(gql_session, AsyncClientSession) and http.session is not None
        # Staged uploads and bulk result downloads share the transport's aiohttp session.
        self._session = http.session
        self._transport = GraphQLTransport(
            self.config,
            gql_session,
            self.limiter,
            self.stats,
            clock=self._clock,
            sleep=self._sleep,
            jitter=self._jitter,
            write_guard=self._guard_write,
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._gql is not None:
            await self._gql.close_async()
        self._gql = None
        self._session = None
        self._transport = None

    @property
    def transport(self) -> GraphQLTransport:
        if self._transport is None:
            raise RuntimeError("use `async with ShopifyClient(config) as client:`")
        return self._transport

    @property
    def _reader(self) -> ProductReader:
        return ProductReader(self.transport)

    @property
    def _bulk(self) -> BulkOperations:
        assert self._session is not None
        return BulkOperations(
            self.config, self.transport, self._session, self._reader, self._clock, self._sleep
        )

    async def shop(self) -> ShopInfo:
        data = await self.transport.execute(documents.SHOP_QUERY, {}, estimated_cost=2)
        return ShopInfo.from_node(data.get("shop") or {})

    async def iter_product_pages(
        self, updated_since: str | None = None, page_size: int | None = None
    ) -> AsyncIterator[list[ProductRecord]]:
        async for page in self._reader.pages(updated_since, page_size):
            yield page

    async def iter_products(
        self, updated_since: str | None = None, page_size: int | None = None
    ) -> AsyncIterator[ProductRecord]:
        async for record in self._reader.products(updated_since, page_size):
            yield record

    async def product(self, product_id: str, *, small: bool = False) -> ProductRecord | None:
        """One product, every nested list complete. `small` asks for a first page as small as
        a listing's (cheap, within any bucket); longer lists are completed by follow-ups."""
        return await self._reader.product(product_id, LIST_NESTED if small else SINGLE_NESTED)

    async def search_product_keys(self, query: str) -> AsyncIterator[list[ProductRecord]]:
        """Pages of the products matching a Shopify search query (e.g. `sku:"A-1" OR ...`),
        with only their match keys and identity read (see sync.shopify.key_search)."""
        status = self.limiter.status
        maximum = status.maximum if status is not None else None
        async for page in search_product_keys(self.transport, query, maximum):
            yield page

    async def has_products(self) -> bool:
        return await store_has_products(self.transport)

    async def product_by_custom_id(self, entity_id: str) -> ProductRecord | None:
        return await self._reader.product_by_identifier(identity_identifier(entity_id))

    async def product_set(
        self,
        input: Mapping[str, Any],
        identifier: Mapping[str, Any] | None = None,
        *,
        read: bool = True,
    ) -> ProductSetResult:
        """Create or replace one product; userErrors come back in the result, not raised.

        With `identifier` (`{"customId": ...}`, `{"id": ...}` or `{"handle": ...}`) productSet
        upserts (API 2025-04+); without it, `input.id` decides between update and create.
        The mutation returns only the product's id; with `read` the product is then read in
        full (paged, so its size cannot push one query over Shopify's cost limit).
        """
        variables: dict[str, Any] = {"input": dict(input)}
        document = documents.PRODUCT_SET_BY_INPUT_MUTATION
        if identifier is not None:
            variables["identifier"] = dict(identifier)
            document = documents.PRODUCT_SET_MUTATION_UNSTABLE_ONLY
        data = await self.transport.execute(
            document,
            variables,
            estimated_cost=product_set_cost(input, _ID_ONLY),
            learn_cost=False,
            # Without an upsert key a resent create could make a duplicate product.
            idempotent=identifier is not None or bool(input.get("id")),
        )
        payload = data.get("productSet") or {}
        errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        node = payload.get("product")
        if errors or not node or not node.get("id"):
            return ProductSetResult(product=None, user_errors=errors)
        product_id = str(node["id"])
        product = await self.product(product_id, small=True) if read else None
        return ProductSetResult(product=product, user_errors=[], product_id=product_id)

    async def metafields_set(
        self, owner_id: str, metafields: Sequence[Mapping[str, str]]
    ) -> list[UserError]:
        """metafieldsSet `{namespace, key, type, value}` entries on one owner, 25 per call
        (Shopify's limit). Writes in place: the owner's other metafields are left alone."""
        entries = [{"ownerId": owner_id, **entry} for entry in metafields]
        return await self._metafield_calls(
            documents.METAFIELDS_SET_MUTATION, "metafieldsSet", entries
        )

    async def metafields_delete(
        self, owner_id: str, refs: Sequence[tuple[str, str]]
    ) -> list[UserError]:
        """metafieldsDelete (namespace, key) metafields of one owner; absent ones are no error."""
        entries = [{"ownerId": owner_id, "namespace": ns, "key": key} for ns, key in refs]
        return await self._metafield_calls(
            documents.METAFIELDS_DELETE_MUTATION, "metafieldsDelete", entries
        )

    async def _metafield_calls(
        self, document: DocumentNode, field: str, entries: Sequence[Mapping[str, str]]
    ) -> list[UserError]:
        """One call per 25 entries (Shopify's limit for both metafield mutations)."""
        errors: list[UserError] = []
        for start in range(0, len(entries), METAFIELDS_SET_MAX):
            data = await self.transport.execute(
                document,
                {"metafields": list(entries[start : start + METAFIELDS_SET_MAX])},
                estimated_cost=MUTATION_COST,
            )
            payload = data.get(field) or {}
            errors.extend(UserError.from_node(e) for e in payload.get("userErrors") or [])
        return errors

    async def update_variants(
        self, product_id: str, variants: Sequence[Mapping[str, Any]]
    ) -> list[UserError]:
        """productVariantsBulkUpdate: edits the named variants in place (ids, stock and the
        product's other variants stay)."""
        data = await self.transport.execute(
            documents.PRODUCT_VARIANTS_BULK_UPDATE_MUTATION,
            {"productId": product_id, "variants": [dict(v) for v in variants]},
            estimated_cost=MUTATION_COST,
        )
        payload = data.get("productVariantsBulkUpdate") or {}
        return [UserError.from_node(e) for e in payload.get("userErrors") or []]

    async def delete_product(self, product_id: str) -> list[UserError]:
        """productDelete; irreversible in Shopify, so only a channel's DELETE policy calls it."""
        data = await self.transport.execute(
            documents.PRODUCT_DELETE_MUTATION,
            {"input": {"id": product_id}},
            estimated_cost=MUTATION_COST,
        )
        payload = data.get("productDelete") or {}
        return [UserError.from_node(e) for e in payload.get("userErrors") or []]

    async def ensure_identity_definition(self) -> bool:
        """Make sure the unique identity metafield definition exists and can key creates.

        True when it was created now, False when a usable one existed; raises
        IdentityDefinitionError (a run error) when the store's definition cannot work.
        """
        return await ensure_identity_definition(self.transport)


__all__ = ["ShopifyClient", "ShopifyError", "identity_identifier"]
