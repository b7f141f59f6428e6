"""Push: productSet per changed entity, keyed so that a retry never duplicates
(docs/sync-semantics.md)."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from db.entities import iter_entity_batches
from db.models import Entity, SyncMapping
from db.sync_mappings import mappings_for_entities, write_mappings
from sync.checksum import entity_checksum, product_checksum
from sync.deletions import apply_delete_policy
from sync.field_values import MappingError
from sync.identity import identity_identifier
from sync.mapping import product_set_input
from sync.product import ProductRecord
from sync.run import Run
from sync.shopify.records import ProductSetResult

# productSet's answer when `identifier.id` names a product deleted in Shopify since the last sync
_GONE_CODES = frozenset({"PRODUCT_DOES_NOT_EXIST", "PRODUCT_NOT_FOUND", "NOT_FOUND"})


@dataclass
class PushItem:
    entity: Entity
    mapping: SyncMapping | None
    checksum: str


@dataclass
class _Writes:
    """Mappings of the successes of one group of items, written in one round trip."""

    new: list[SyncMapping] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    async def save(self, run: Run) -> None:
        async with run.sessions() as session:
            await write_mappings(session, self.new, self.changed)
            await session.commit()


def _succeeded(run: Run, item: PushItem, product: ProductRecord, writes: _Writes) -> None:
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
        writes.new.append(
            SyncMapping(channel_id=run.channel.id, entity_id=item.entity.id, **values)
        )
    else:
        writes.changed.append({"id": item.mapping.id, **values})
    run.recorder.count("pushed")


def _rejected(run: Run, item: PushItem, message: str) -> None:
    run.recorder.fail(
        f"Shopify rejected the product: {message}",
        entity_id=item.entity.id,
        external_id=item.mapping.external_id if item.mapping else None,
    )


async def _ensure_identity(run: Run) -> None:
    # Concurrent creates wait for the one definition request instead of each sending one.
    async with run.identity_lock:
        if not run.identity_ready:
            await run.client.ensure_identity_definition()
            run.identity_ready = True


def _request(item: PushItem, run: Run, create: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(identifier, input); creates are keyed by the entity's unique metafield, so a reply lost
    after Shopify created the product finds that product again instead of making another."""
    payload = product_set_input(
        item.entity.attributes, run.mappings, include_identity=create, entity_id=item.entity.id
    )
    if create or item.mapping is None:
        return identity_identifier(item.entity.id), payload
    return {"id": item.mapping.external_id}, payload


async def _product_set(run: Run, item: PushItem) -> ProductSetResult:
    create = item.mapping is None
    if create:
        await _ensure_identity(run)
    identifier, payload = _request(item, run, create)
    result = await run.client.product_set(payload, identifier)
    if not create and any(error.code in _GONE_CODES for error in result.user_errors):
        # Deleted in Shopify since the last sync: create it again.
        await _ensure_identity(run)
        identifier, payload = _request(item, run, True)
        result = await run.client.product_set(payload, identifier)
    return result


async def push_items(run: Run, items: Sequence[PushItem]) -> None:
    """productSet the items concurrently; record the mappings of every success in one write."""
    if not items:
        return
    gate = asyncio.Semaphore(run.concurrency)
    writes = _Writes()

    async def one(item: PushItem) -> None:
        try:
            async with gate:
                result = await _product_set(run, item)
        except MappingError as problem:
            run.recorder.fail(f"cannot map the entity: {problem}", entity_id=item.entity.id)
            return
        if result.product is None:
            _rejected(run, item, "; ".join(map(str, result.user_errors)) or "no product returned")
        else:
            _succeeded(run, item, result.product, writes)

    try:
        async with asyncio.TaskGroup() as group:
            for item in items:
                group.create_task(one(item))
    except BaseExceptionGroup as failures:
        # One task's run-level error (bad token, Shopify unreachable) stops the others; the
        # runner reports that error, not the group around it.
        raise failures.exceptions[0] from None
    finally:
        # Even when the run stops (bad credentials, Shopify unreachable), what Shopify accepted
        # is recorded, so the next run neither repeats nor duplicates it.
        await writes.save(run)
        await run.recorder.maybe_flush()


async def push_items_bulk(run: Run, items: Sequence[PushItem]) -> None:
    """One bulk operation (staged JSONL upload + bulkOperationRunMutation) for the items."""
    lines: list[tuple[dict[str, Any], dict[str, Any]]] = []
    sent: list[PushItem] = []
    for item in items:
        try:
            lines.append(_request(item, run, item.mapping is None))
        except MappingError as problem:
            run.recorder.fail(f"cannot map the entity: {problem}", entity_id=item.entity.id)
            continue
        sent.append(item)
    if not lines:
        return
    if any(item.mapping is None for item in sent):
        await _ensure_identity(run)
    results = await run.client.run_bulk_product_set(lines)
    run.recorder.details["bulkOperations"] = run.recorder.details.get("bulkOperations", 0) + 1
    writes = _Writes()
    gone: list[PushItem] = []
    for item, result in zip(sent, results, strict=True):
        if result.product is not None and result.ok:
            _succeeded(run, item, result.product, writes)
        elif item.mapping is not None and any(e.code in _GONE_CODES for e in result.user_errors):
            gone.append(item)
        else:
            detail = result.error or "; ".join(map(str, result.user_errors))
            _rejected(run, item, detail or "no product returned")
    await writes.save(run)
    await push_items(run, gone)
    await run.recorder.maybe_flush()


def plan_push(run: Run, entity: Entity, mapping: SyncMapping | None) -> PushItem | None:
    """None when the entity is unchanged since the last sync: no Shopify call at all."""
    checksum = entity_checksum(entity.attributes, run.mappings)
    if mapping is not None and mapping.checksum == checksum:
        return None
    return PushItem(entity, mapping, checksum)


class PushQueue:
    """Collects changed entities and sends them per item or in bulk operations.

    Up to `run.bulk_threshold` changed entities go per item, concurrently, at the pace of the
    cost budget. Past it, a bulk import is cheaper (its cost is a few points, not ~10 per
    product) and the queue switches to bulk operations of `run.bulk_chunk` lines each, which
    also bounds memory. `run.bulk` can force either way.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.pending: list[PushItem] = []
        self.bulk = run.bulk == "always"

    async def add(self, items: Sequence[PushItem]) -> None:
        self.pending.extend(items)
        run = self.run
        if not self.bulk and run.bulk == "auto" and len(self.pending) >= run.bulk_threshold:
            self.bulk = True
        if run.bulk == "never" or (not self.bulk and len(self.pending) >= run.bulk_threshold):
            await self._send_per_item()
        elif self.bulk and len(self.pending) >= run.bulk_chunk:
            await self._send_bulk()

    async def finish(self) -> None:
        if self.bulk:
            await self._send_bulk()
        else:
            await self._send_per_item()
        self.run.recorder.details["pushMode"] = "bulk" if self.bulk else "per-item"

    async def _send_per_item(self) -> None:
        items, self.pending = self.pending, []
        await push_items(self.run, items)

    async def _send_bulk(self) -> None:
        items, self.pending = self.pending, []
        if items:
            await push_items_bulk(self.run, items)


async def push(run: Run, entity_ids: Sequence[str] | None) -> None:
    channel = run.channel
    seen: set[str] = set()
    queue = PushQueue(run)
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
        await queue.add(items)
        await run.recorder.maybe_flush()
    await queue.finish()
    if entity_ids is None:
        await apply_delete_policy(run)
    for missing in sorted(set(entity_ids or ()) - seen):
        run.recorder.fail("entity does not exist", entity_id=missing)
