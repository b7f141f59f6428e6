"""Push: each changed entity written to Shopify without touching what the channel does not own.

Per item (sync.push_write): productSet with the variant and file ids the mapping knows, then
in-place writes of metafields and `variant.*` fields, then one read. Large runs send the
productSet part as bulk operations, then the in-place writes as bulk operations too
(sync.push_follow_ups, docs/sync-semantics.md).
"""

import asyncio
from collections.abc import Collection, Sequence
from typing import Any

from db.entities import count_entities
from db.enums import SyncPhase
from db.models import Entity, SyncMapping
from db.sync_mappings import mapping_checksums, mappings_for_entities
from sync.checksum import push_values_and_checksum
from sync.deletions import apply_delete_policy
from sync.field_values import MappingError
from sync.item_outcomes import PendingMappings, guarded, record_failure
from sync.linking import Linker
from sync.local_changes import close_scope, entity_batches, open_scope
from sync.pacer import pace
from sync.push_follow_ups import Accepted, follow_ups
from sync.push_write import (
    GONE_CODES,
    Known,
    PushItem,
    ensure_identity,
    identifier_for,
    known_from_mapping,
    plan_for,
    write_item,
)
from sync.run import BulkMode, Run
from sync.write_plan import ProductWrite

__all__ = ["PushItem", "PushQueue", "plan_push", "push", "push_entities", "push_items"]


async def _concurrently(
    run: Run, jobs: Sequence[tuple[PushItem, Any]], phase: SyncPhase = SyncPhase.PUSHING
) -> None:
    """Run (item, coroutine factory) jobs at `run.options.concurrency`; record every success at
    once."""
    gate = asyncio.Semaphore(run.options.concurrency)
    writes = PendingMappings()
    run.recorder.add_writer(writes)
    run.recorder.set_phase(phase)

    async def one(item: PushItem, job: Any) -> None:
        try:
            await guarded(run, item, job(), writes)
        finally:
            gate.release()

    try:
        async with asyncio.TaskGroup() as group:
            for item, job in jobs:
                # A task is made only when a slot is free: made all at once, hundreds of them
                # finished in one turn of the loop and held it (and every poll) for 300-500 ms.
                await gate.acquire()
                group.create_task(one(item, job))
                await pace()
    except BaseExceptionGroup as failures:
        # One task's run-level error (bad token, Shopify unreachable) stops the others; the
        # runner reports that error, not the group around it.
        raise failures.exceptions[0] from None
    finally:
        # Even when the run stops (bad credentials, Shopify unreachable), what Shopify accepted
        # is recorded, so the next run neither repeats nor duplicates it.
        try:
            await run.recorder.flush()
        finally:
            run.recorder.remove_writer(writes)


async def push_items(run: Run, items: Sequence[PushItem]) -> None:
    """Write the items concurrently, each on its own (sync.push_write)."""
    if items:
        jobs = [(item, lambda item=item: write_item(run, item)) for item in items]
        await _concurrently(run, jobs)


async def push_items_bulk(run: Run, items: Sequence[PushItem]) -> None:
    """The productSet part as bulk operations, then the in-place writes (variant fields,
    metafields) as bulk operations of their own (sync.push_follow_ups): a bulk operation runs one
    mutation type, and an item's metafields must follow its productSet (a new product has no
    owner id before it)."""
    per_item: list[PushItem] = []
    sent: list[tuple[PushItem, ProductWrite, Known]] = []
    for item in items:
        await pace()
        known = known_from_mapping(item)
        if known is None:
            per_item.append(item)  # the product must be read first: rare, so per item
            continue
        try:
            sent.append((item, plan_for(run, item, known), known))
        except MappingError as problem:
            run.recorder.fail(f"cannot map the entity: {problem}", entity_id=item.entity.id)
    if sent:
        if any("metafields" in plan.input for _, plan, _ in sent):
            await ensure_identity(run)
        lines = []
        for item, plan, _ in sent:
            lines.append((identifier_for(item, plan), plan.input))
            await pace()
        run.recorder.set_phase(SyncPhase.UPLOADING)
        details = run.recorder.details
        operations: list[str] = details.setdefault("bulkOperationIds", [])
        results = await run.client.run_bulk_product_set(
            lines,
            owner=run.channel.id,
            run=run.recorder.log_id,
            on_progress=run.recorder.bulk_progress,
            on_operation=operations.append,
        )
        if run.client.bulk_recovered:
            details["bulkOperationsCanceled"] = list(run.client.bulk_recovered)
        accepted: list[Accepted] = []
        for (item, plan, known), result in zip(sent, results, strict=True):
            await pace()
            if result.product is not None and result.ok:
                accepted.append(Accepted(item, plan, known, result.product))
            elif item.mapping is not None and any(e.code in GONE_CODES for e in result.user_errors):
                per_item.append(item)
            else:
                detail = result.error or "; ".join(map(str, result.user_errors))
                record_failure(run, item, f"Shopify rejected the product: {detail or 'no result'}")
        # each success's remaining writes (bulk lines too), then its mapping
        jobs = await follow_ups(run, accepted)
        details["bulkOperations"] = len(operations)
        await _concurrently(run, jobs, SyncPhase.WRITING_MAPPINGS)
    await push_items(run, per_item)
    await run.recorder.maybe_flush()


def plan_push(run: Run, entity: Entity, mapping: SyncMapping | None) -> PushItem | None:
    """None when the entity is unchanged since the last sync: no Shopify call at all."""
    values, checksum = push_values_and_checksum(entity.attributes, run.mappings)
    if mapping is not None and mapping.checksum == checksum:
        return None
    return PushItem(entity, mapping, checksum, values)


class PushQueue:
    """Collects changed entities and sends them per item or in bulk operations.

    Up to `run.options.bulk_threshold` changed entities go per item, concurrently, at the pace of
    the cost budget. Past it, a bulk import is cheaper (its cost is a few points, not ~10 per
    product) and the queue switches to bulk operations of `run.options.bulk_chunk` lines each,
    which also bounds memory. `run.options.bulk` can force either way.
    """

    def __init__(self, run: Run) -> None:
        self.run = run
        self.pending: list[PushItem] = []
        self.bulk = run.options.bulk == BulkMode.ALWAYS
        # Bulk batches in flight at once: `bulk_batches`, at most as many operations as the shop
        # may run (five from 2026-01, else one). With `bulk_chunk`, this bounds the items held
        # in memory: the pending batch plus those in flight.
        at_once = min(run.options.bulk_batches, run.client.bulk_mutations_at_once)
        self._gate = asyncio.Semaphore(max(1, at_once))
        self._batches: set[asyncio.Task[None]] = set()

    async def add(self, items: Sequence[PushItem]) -> None:
        self.pending.extend(items)
        options = self.run.options
        threshold = options.bulk_threshold
        if not self.bulk and options.bulk == BulkMode.AUTO and len(self.pending) >= threshold:
            self.bulk = True
        if options.bulk == BulkMode.NEVER or (not self.bulk and len(self.pending) >= threshold):
            await self._send_per_item()
        elif self.bulk and len(self.pending) >= options.bulk_chunk:
            await self._send_bulk()

    async def finish(self) -> None:
        if self.bulk:
            await self._send_bulk()
        else:
            await self._send_per_item()
        await self._settle(wait_all=True)
        self.run.recorder.details["pushMode"] = "bulk" if self.bulk else "per-item"

    async def _send_per_item(self) -> None:
        items, self.pending = self.pending, []
        await push_items(self.run, items)

    async def _send_bulk(self) -> None:
        items, self.pending = self.pending, []
        if not items:
            return
        await self._settle(wait_all=False)
        await self._gate.acquire()
        self._batches.add(asyncio.create_task(self._bulk_batch(items)))

    async def _bulk_batch(self, items: list[PushItem]) -> None:
        try:
            await push_items_bulk(self.run, items)
        finally:
            self._gate.release()

    async def _settle(self, wait_all: bool) -> None:
        """Raise the first failed batch's error (stopping the others), or wait for all."""
        while self._batches:
            if wait_all:
                await asyncio.wait(self._batches, return_when=asyncio.FIRST_EXCEPTION)
            done = {task for task in self._batches if task.done()}
            self._batches -= done
            failed = next(
                (t.exception() for t in done if not t.cancelled() and t.exception()), None
            )
            if failed is not None:
                for task in self._batches:
                    task.cancel()
                await asyncio.gather(*self._batches, return_exceptions=True)
                self._batches.clear()
                raise failed
            if not wait_all:
                return


async def push_entities(
    run: Run,
    entity_ids: Sequence[str] | None,
    handled: Collection[str] = (),
    linker: Linker | None = None,
) -> set[str]:
    """The one push loop (push and the local phase of a bidirectional sync): the channel's
    entities, or `entity_ids`, minus `handled`, each pushed when changed. Returns which of
    `entity_ids` were seen (nothing for a whole-channel push: that set would grow with N).
    Unmapped entities that match store products are linked first (see sync.linking)."""
    channel = run.channel
    seen: set[str] = set()
    queue = PushQueue(run)
    linker = linker or Linker(run)
    run.recorder.set_phase(SyncPhase.READING)
    async for batch in entity_batches(run, entity_ids):
        async with run.sessions() as session:
            stored = await mapping_checksums(session, channel.id, [e.id for e in batch])
        changed: list[tuple[Entity, str, dict[str, Any] | None]] = []
        for entity in batch:
            await pace()
            if entity_ids is not None:
                seen.add(entity.id)
            if entity.id in handled or linker.blocked(entity.id):
                continue
            values, checksum = push_values_and_checksum(entity.attributes, run.mappings)
            if entity.id in stored and stored[entity.id] == checksum:
                run.recorder.count("skipped")
            else:
                changed.append((entity, checksum, values))
        # Only the changed entities' mappings are read whole (their ids, media and variants).
        mapped = [entity.id for entity, _, _ in changed if entity.id in stored]
        mappings: dict[str, SyncMapping] = {}
        if mapped:
            async with run.sessions() as session:
                mappings = await mappings_for_entities(session, channel.id, mapped)
        items = [
            PushItem(entity, mappings.get(entity.id), sum_, values)
            for entity, sum_, values in changed
        ]
        # Before anything is created: existing store products are linked, not duplicated.
        await queue.add(await linker.before_create(items))
        await run.recorder.maybe_flush()
    await queue.finish()
    return seen


async def push(run: Run, entity_ids: Sequence[str] | None) -> None:
    channel = run.channel
    if entity_ids is not None:  # a push of named entities reads them, whatever changed
        run.recorder.total = len(set(entity_ids))
    elif (await open_scope(run)).since is None:
        # every entity is compared; an incremental run does not know its count in advance
        async with run.sessions() as session:
            run.recorder.total = await count_entities(
                session, channel.schema_id, channel.catalog_ids
            )
    seen = await push_entities(run, entity_ids)
    if entity_ids is None:
        run.recorder.set_phase(SyncPhase.APPLYING_DELETIONS)
        await apply_delete_policy(run)
        await close_scope(run)
    for missing in sorted(set(entity_ids or ()) - seen):
        run.recorder.fail("entity does not exist", entity_id=missing)
