"""Push (DESIGN §5): productSet per changed entity, keyed so that a retry never duplicates."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from db.entities import iter_entity_batches
from db.models import Entity, SyncMapping
from db.sync_mappings import mappings_for_entities, write_mappings
from sync.checksum import entity_checksum, product_checksum
from sync.field_values import MappingError
from sync.mapping import product_set_input
from sync.run import Run
from sync.shopify.client import identity_identifier
from sync.shopify.records import ProductSetResult

# productSet's answer when `identifier.id` names a product deleted in Shopify since the last sync
_GONE_CODES = frozenset({"PRODUCT_DOES_NOT_EXIST", "PRODUCT_NOT_FOUND", "NOT_FOUND"})


@dataclass
class PushItem:
    entity: Entity
    mapping: SyncMapping | None
    checksum: str


async def _ensure_identity(run: Run) -> None:
    # Concurrent creates wait for the one definition request instead of each sending one.
    async with run.identity_lock:
        if not run.identity_ready:
            await run.client.ensure_identity_definition()
            run.identity_ready = True


async def _create(run: Run, entity: Entity) -> ProductSetResult:
    await _ensure_identity(run)
    payload = product_set_input(
        entity.attributes, run.mappings, include_identity=True, entity_id=entity.id
    )
    return await run.client.product_set(payload, identity_identifier(entity.id))


async def _product_set(run: Run, item: PushItem) -> ProductSetResult:
    if item.mapping is None:
        # customId upsert: a reply lost after Shopify created the product finds it again.
        return await _create(run, item.entity)
    payload = product_set_input(
        item.entity.attributes, run.mappings, include_identity=False, entity_id=item.entity.id
    )
    result = await run.client.product_set(payload, {"id": item.mapping.external_id})
    if any(error.code in _GONE_CODES for error in result.user_errors):
        return await _create(run, item.entity)
    return result


async def push_items(run: Run, items: Sequence[PushItem]) -> None:
    """productSet the items concurrently; record the mappings of every success in one write."""
    if not items:
        return
    gate = asyncio.Semaphore(run.concurrency)
    new: list[SyncMapping] = []
    changed: list[dict[str, Any]] = []

    async def one(item: PushItem) -> None:
        try:
            async with gate:
                result = await _product_set(run, item)
        except MappingError as problem:
            run.recorder.fail(f"cannot map the entity: {problem}", entity_id=item.entity.id)
            return
        if result.product is None:
            message = "; ".join(str(e) for e in result.user_errors) or "Shopify returned no product"
            run.recorder.fail(
                f"Shopify rejected the product: {message}",
                entity_id=item.entity.id,
                external_id=item.mapping.external_id if item.mapping else None,
            )
            return
        product = result.product
        now = run.now()
        values: dict[str, Any] = {
            "external_id": product["id"],
            "external_variant_ids": [variant["id"] for variant in product["variants"]],
            "last_pushed_at": now,
            "checksum": item.checksum,
            "remote_checksum": product_checksum(product, run.mappings),
            "updated_at": now,
        }
        if item.mapping is None:
            new.append(SyncMapping(channel_id=run.channel.id, entity_id=item.entity.id, **values))
        else:
            changed.append({"id": item.mapping.id, **values})
        run.recorder.count("pushed")

    try:
        async with asyncio.TaskGroup() as group:
            for item in items:
                group.create_task(one(item))
    finally:
        # Even when the run stops (bad credentials, Shopify unreachable), what Shopify accepted
        # is recorded, so the next run neither repeats nor duplicates it.
        async with run.sessions() as session:
            await write_mappings(session, new, changed)
            await session.commit()
        await run.recorder.maybe_flush()


def plan_push(run: Run, entity: Entity, mapping: SyncMapping | None) -> PushItem | None:
    """None when the entity is unchanged since the last sync: no Shopify call at all."""
    checksum = entity_checksum(entity.attributes, run.mappings)
    if mapping is not None and mapping.checksum == checksum:
        return None
    return PushItem(entity, mapping, checksum)


async def push(run: Run, entity_ids: Sequence[str] | None) -> None:
    channel = run.channel
    seen: set[str] = set()
    async for batch in iter_entity_batches(
        run.sessions, channel.schema_id, channel.catalog_ids, entity_ids, run.batch_size
    ):
        async with run.sessions() as session:
            mappings = await mappings_for_entities(session, channel.id, [e.id for e in batch])
        items: list[PushItem] = []
        for entity in batch:
            if entity_ids is not None:
                seen.add(entity.id)
            item = plan_push(run, entity, mappings.get(entity.id))
            if item is None:
                run.recorder.count("skipped")
            else:
                items.append(item)
        await push_items(run, items)
        await run.recorder.maybe_flush()
    for missing in sorted(set(entity_ids or ()) - seen):
        run.recorder.fail("entity does not exist", entity_id=missing)
