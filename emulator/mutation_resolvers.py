"""Mutation: the emulator's write entry points, each delegating to the module that owns it."""

from typing import Any

from graphql import GraphQLResolveInfo

from emulator import definitions, metafields_set, product_mutations
from emulator.connections import Resolver, ctx
from emulator.ids import gid
from emulator.product_set import product_set


def resolve_product_set(
    _: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
    identifier: dict[str, Any] | None = None,
    synchronous: bool = True,
) -> dict[str, Any]:
    result = product_set(ctx(info).store, identifier, input)
    if synchronous or result.product is None:
        return {
            "product": result.product,
            "productSetOperation": None,
            "userErrors": result.user_errors,
        }
    store = ctx(info).store
    operation = {
        "id": gid("ProductSetOperation", store.next_id()),
        "status": "COMPLETE",
        "product": result.product,
        "userErrors": [],
    }
    return {"product": None, "productSetOperation": operation, "userErrors": []}


def _webhooks(info: GraphQLResolveInfo) -> Any:
    webhooks = ctx(info).webhooks
    if webhooks is None:
        raise RuntimeError("webhook subscriptions are not available here")
    return webhooks


def _bulk(info: GraphQLResolveInfo) -> Any:
    service = ctx(info).bulk
    if service is None:
        raise RuntimeError("bulk operations are not available here")
    return service


MUTATION: dict[str, Resolver] = {
    "productSet": resolve_product_set,
    "productCreate": lambda _, info, product=None, media=None: {
        **product_mutations.product_create(ctx(info).store, product, media),
        "shop": ctx(info).store.shop,
    },
    "productUpdate": lambda _, info, product=None, media=None: product_mutations.product_update(
        ctx(info).store, product, media
    ),
    "productDelete": lambda _, info, input, synchronous=True: {
        **product_mutations.product_delete(ctx(info).store, input),
        "shop": ctx(info).store.shop,
    },
    "productVariantsBulkCreate": lambda _, info, productId, variants, strategy="DEFAULT", **_x: (
        product_mutations.variants_bulk_create(ctx(info).store, productId, variants, strategy)
    ),
    "productVariantsBulkUpdate": lambda _, info, productId, variants, **_x: (
        product_mutations.variants_bulk_update(ctx(info).store, productId, variants)
    ),
    "productVariantsBulkDelete": lambda _, info, productId, variantsIds: (
        product_mutations.variants_bulk_delete(ctx(info).store, productId, variantsIds)
    ),
    "metafieldDefinitionCreate": lambda _, info, definition: (
        definitions.metafield_definition_create(ctx(info).store, definition)
    ),
    "metafieldsSet": lambda _, info, metafields: metafields_set.metafields_set(
        ctx(info).store, metafields
    ),
    "metafieldsDelete": lambda _, info, metafields: metafields_set.metafields_delete(
        ctx(info).store, metafields
    ),
    # The schema gives groupObjects its version's default (false from 2026-01).
    "bulkOperationRunQuery": lambda _, info, query, groupObjects: _bulk(info).run_query(
        query, groupObjects, ctx(info).version
    ),
    "bulkOperationRunMutation": lambda _, info, mutation, stagedUploadPath, **extra: _bulk(
        info
    ).run_mutation(mutation, stagedUploadPath, extra.get("clientIdentifier"), ctx(info).version),
    "bulkOperationCancel": lambda _, info, id: _bulk(info).cancel(id),
    "stagedUploadsCreate": lambda _, info, input: _bulk(info).staged_uploads(
        input, ctx(info).version
    ),
    "webhookSubscriptionCreate": lambda _, info, topic, webhookSubscription: _webhooks(info).create(
        topic, webhookSubscription, ctx(info).version.handle
    ),
    "webhookSubscriptionDelete": lambda _, info, id: _webhooks(info).delete(id),
}
