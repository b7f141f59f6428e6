"""One entity's push: productSet with the ids we know, then the in-place writes, then one read.

The order is: productSet (only `{id}` comes back, so a large product cannot make the mutation's
return selection exceed Shopify's cost limit), productVariantsBulkUpdate for `variant.*` fields of
an existing product, metafieldsSet / metafieldsDelete for mapped metafields, and a paged read of
the product as Shopify now holds it, from which the mapping records ids and checksums.
"""

from dataclasses import dataclass
from typing import Any

from db.models import Entity, SyncMapping
from sync.field_values import MappingError
from sync.identity import identity_identifier
from sync.mapping_row import known_media, mapping_values
from sync.product import ProductRecord
from sync.remote_ids import MediaSource, VariantKey, single_variant_id, variant_keys
from sync.run import Run
from sync.shopify.errors import ShopifyGraphQLError
from sync.shopify.records import UserError
from sync.write_plan import ProductWrite, plan_write

# productSet's answer when `identifier.id` names a product deleted in Shopify since the last
# sync (ProductSetUserErrorCode); matched by code, never by message text.
GONE_CODES = frozenset({"PRODUCT_DOES_NOT_EXIST", "PRODUCT_NOT_FOUND", "NOT_FOUND"})

# Top-level error codes that concern the app or the store, not one item's input: they stop the
# run. Any other top-level error of an item's request (MAX_COST_EXCEEDED, an input list over
# Shopify's limits, ...) fails that item only.
RUN_LEVEL_CODES = frozenset({"ACCESS_DENIED", "SHOP_INACTIVE", "UNAUTHORIZED"})


@dataclass
class PushItem:
    entity: Entity
    mapping: SyncMapping | None
    checksum: str
    # the strict push values, when the checksum made them (checksum.push_values_and_checksum)
    values: dict[str, Any] | None = None


class ItemFailed(Exception):
    """This item could not be written; the message is for the sync log."""


@dataclass
class Written:
    """What a push left in Shopify, and what the mapping should record about it."""

    product: ProductRecord
    plan: ProductWrite
    media: list[MediaSource]
    problems: list[str]


def item_level(error: ShopifyGraphQLError) -> bool:
    return not any(code in RUN_LEVEL_CODES for code in error.codes)


async def ensure_identity(run: Run) -> None:
    # Concurrent creates wait for the one definition request instead of each sending one.
    async with run.identity_lock:
        if not run.identity_ready:
            await run.client.ensure_identity_definition()
            run.identity_ready = True


@dataclass
class Known:
    """What the mapping knows about the product before the write."""

    variants: list[VariantKey]
    media: list[MediaSource]


def known_from_mapping(item: PushItem) -> Known | None:
    """None when the mapping lacks variant keys or media sources (a linked product, or a row
    older than those columns): the product must be read before it is written."""
    mapping = item.mapping
    if mapping is None:
        return Known([], [])
    if mapping.variant_keys is None or mapping.media_sources is None:
        return None
    variants = [
        VariantKey(id=str(k["id"]), options=dict(k.get("options") or {}), sku=k.get("sku"))
        for k in mapping.variant_keys
    ]
    return Known(variants, known_media(mapping, None, None, ()))


async def read_known(run: Run, item: PushItem) -> Known | None:
    """Known state, reading the product when the mapping lacks it; None: the product is gone."""
    known = known_from_mapping(item)
    if known is not None:
        return known
    assert item.mapping is not None
    before = await run.client.product(item.mapping.external_id, small=True)
    if before is None:
        return None
    media = known_media(item.mapping, item.entity.attributes, before, run.mappings)
    return Known(variant_keys(before), media)


def plan_for(run: Run, item: PushItem, known: Known | None) -> ProductWrite:
    return plan_write(
        item.entity.attributes,
        run.mappings,
        entity_id=item.entity.id,
        create=known is None or item.mapping is None,
        known_variants=known.variants if known else (),
        known_media=known.media if known else (),
        values=item.values,
    )


def identifier_for(item: PushItem, plan: ProductWrite) -> dict[str, Any]:
    # Creates are keyed by the entity's unique metafield: a reply lost after Shopify created
    # the product finds that product again instead of making another.
    if "metafields" in plan.input or item.mapping is None:
        return identity_identifier(item.entity.id)
    return {"id": item.mapping.external_id}


def _describe(errors: list[UserError]) -> str:
    return "; ".join(map(str, errors)) or "no product returned"


async def write_in_place(
    run: Run, product_id: str, plan: ProductWrite, known: Known | None
) -> list[str]:
    """The writes after productSet; each problem is returned, none stops the others."""
    problems: list[str] = []
    client = run.client
    if plan.variant_update:
        variants = known.variants if known else []
        sku = plan.variant_sku
        variant_id = single_variant_id(variants, sku)
        if variant_id is None:
            product = await client.product(product_id, small=True)
            variant_id = single_variant_id(variant_keys(product), sku) if product else None
        if variant_id is None:
            problems.append("the product has no variant to write the variant fields on")
        else:
            errors = await client.update_variants(
                product_id, [{"id": variant_id, **plan.variant_update}]
            )
            if errors:
                problems.append(f"Shopify rejected the variant fields: {_describe(errors)}")
    if plan.metafields:
        errors = await client.metafields_set(product_id, plan.metafields)
        if errors:
            problems.append(f"Shopify rejected a metafield: {_describe(errors)}")
    if plan.cleared:
        errors = await client.metafields_delete(product_id, plan.cleared)
        if errors:
            problems.append(f"Shopify refused to delete a metafield: {_describe(errors)}")
    return problems


async def write_item(run: Run, item: PushItem) -> Written:
    """Push one entity; raises ItemFailed (or MappingError) when nothing could be written."""
    known = await read_known(run, item) if item.mapping is not None else Known([], [])
    plan = plan_for(run, item, known)
    if "metafields" in plan.input:
        await ensure_identity(run)
    result = await run.client.product_set(plan.input, identifier_for(item, plan), read=False)
    if item.mapping is not None and any(e.code in GONE_CODES for e in result.user_errors):
        # Deleted in Shopify since the last sync: create it again.
        known = None
        plan = plan_for(run, item, None)
        await ensure_identity(run)
        result = await run.client.product_set(
            plan.input, identity_identifier(item.entity.id), read=False
        )
    if not result.ok or result.product_id is None:
        raise ItemFailed(f"Shopify rejected the product: {_describe(result.user_errors)}")
    return await finish_item(run, result.product_id, plan, known, None)


async def finish_item(
    run: Run,
    product_id: str,
    plan: ProductWrite,
    known: Known | None,
    product: ProductRecord | None,
) -> Written:
    """In-place writes, then the product as Shopify holds it (`product` when already read and
    nothing else was written)."""
    problems = await write_in_place(run, product_id, plan, known)
    if product is None or plan.needs_more:
        product = await run.client.product(product_id, small=True)
    if product is None:
        raise ItemFailed("the product was written but could not be read back")
    return Written(product, plan, known.media if known else [], problems)


def record(run: Run, item: PushItem, written: Written) -> dict[str, Any]:
    """The mapping's new column values; an item with problems is pushed again next run."""
    return mapping_values(
        written.product,
        run.mappings,
        checksum=None if written.problems else item.checksum,
        media=written.media,
        now=run.now(),
        pushed=True,
        sent_images=written.plan.images,
    )


__all__ = [
    "GONE_CODES",
    "ItemFailed",
    "Known",
    "MappingError",
    "PushItem",
    "Written",
    "finish_item",
    "item_level",
    "plan_for",
    "record",
    "write_item",
]
