"""Products read back by id and webhook subscriptions: the half of ShopifyClient's interface
that serves webhooks and the reconciliation of remote deletions (mixed into it)."""

from collections.abc import Sequence

from graphql import DocumentNode

from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.cost import LIST_NESTED, MAX_PAGE, default_page_size, product_node_cost
from sync.shopify.product_reads import ProductReader
from sync.shopify.records import UserError, product_record
from sync.shopify.transport import GraphQLTransport

# Shopify's `nodes(ids:)` takes at most 250 ids (QueryRoot.nodes docs).
MAX_IDS = MAX_PAGE
# webhookSubscriptionCreate and webhookSubscriptionDelete are mutations: 10 points each.
_MUTATION_COST = 10


class RemoteClient:
    """Needs `transport` and `_reader` from the client."""

    @property
    def transport(self) -> GraphQLTransport:
        raise NotImplementedError

    @property
    def _reader(self) -> ProductReader:
        raise NotImplementedError

    async def products_by_ids(self, ids: Sequence[str]) -> dict[str, ProductRecord | None]:
        """Each product in full (nested lists completed); None for an id that is no product
        any more (deleted in Shopify)."""
        found: dict[str, ProductRecord | None] = {}
        size = default_page_size(LIST_NESTED)
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), size):
            chunk = unique[start : start + size]
            data = await self.transport.execute(
                documents.PRODUCTS_BY_IDS_QUERY,
                {"ids": chunk, **LIST_NESTED.variables()},
                estimated_cost=1 + len(chunk) * product_node_cost(LIST_NESTED),
            )
            nodes = data.get("nodes") or []
            for product_id, node in zip(chunk, nodes, strict=False):
                if node and node.get("id"):
                    found[product_id] = product_record(await self._reader.complete(node))
                else:
                    found[product_id] = None
        return found

    async def existing_product_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these product ids still exist, 250 a request, only ids selected."""
        return await self._existing(documents.PRODUCT_IDS_EXIST_QUERY, ids)

    async def existing_webhook_subscription_ids(self, ids: Sequence[str]) -> set[str]:
        """Which of these webhook subscriptions Shopify still has."""
        return await self._existing(documents.WEBHOOK_SUBSCRIPTIONS_EXIST_QUERY, ids)

    async def _existing(self, document: DocumentNode, ids: Sequence[str]) -> set[str]:
        existing: set[str] = set()
        unique = list(dict.fromkeys(ids))
        for start in range(0, len(unique), MAX_IDS):
            chunk = unique[start : start + MAX_IDS]
            data = await self.transport.execute(document, {"ids": chunk}, estimated_cost=len(chunk))
            existing.update(str(n["id"]) for n in data.get("nodes") or [] if n and n.get("id"))
        return existing

    async def create_webhook_subscription(
        self, topic: str, callback_url: str
    ) -> tuple[str | None, list[UserError]]:
        """Subscribe `callback_url` to a topic (enum name, e.g. PRODUCTS_UPDATE)."""
        data = await self.transport.execute(
            documents.WEBHOOK_SUBSCRIPTION_CREATE_MUTATION,
            {"topic": topic, "callbackUrl": callback_url},
            estimated_cost=_MUTATION_COST,
            # A resent create could subscribe twice; the caller lists and cleans up instead.
            idempotent=False,
        )
        payload = data.get("webhookSubscriptionCreate") or {}
        errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        subscription = payload.get("webhookSubscription") or {}
        return (str(subscription["id"]) if subscription.get("id") else None), errors

    async def delete_webhook_subscription(self, subscription_id: str) -> list[UserError]:
        data = await self.transport.execute(
            documents.WEBHOOK_SUBSCRIPTION_DELETE_MUTATION,
            {"id": subscription_id},
            estimated_cost=_MUTATION_COST,
        )
        payload = data.get("webhookSubscriptionDelete") or {}
        return [UserError.from_node(e) for e in payload.get("userErrors") or []]
