"""Pull: Shopify products into entities, incrementally once a channel has pulled
(docs/sync-semantics.md)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from db.attribute_rules import validate_entity_attributes
from db.channels import set_last_pulled
from db.clock import iso
from db.entities import (
    entities_by_ids,
    ids_in_scope,
    insert_entities,
    update_entity_attributes,
)
from db.models import Entity, SyncMapping
from db.sync_mappings import mappings_for_products, write_mappings
from sync.checksum import entity_checksum, product_checksum
from sync.linking import Linker, tally
from sync.mapping_row import known_media, mapping_values
from sync.product import ProductRecord
from sync.product_source import product_pages
from sync.pull_values import attributes_from_product, entity_id_from_product
from sync.run import Run

# Products updated this long before the last pull's start are asked for again: clocks differ
# and a product saved while the last page was read must not be missed. Unchanged ones cost a
# checksum, not a write.
OVERLAP = timedelta(minutes=5)


@dataclass
class PullItem:
    product: ProductRecord
    mapping: SyncMapping | None
    checksum: str


def plan_pull(run: Run, product: ProductRecord, mapping: SyncMapping | None) -> PullItem | None:
    """None when the product is unchanged since the last sync (images read through the
    mapping's media sources, so our own uploads never look like remote changes)."""
    sources = known_media(mapping, None, None, run.mappings)
    checksum = product_checksum(product, run.mappings, sources=sources)
    if mapping is not None and checksum in (mapping.remote_checksum, mapping.checksum):
        return None
    return PullItem(product, mapping, checksum)


def _problems(run: Run, attributes: dict[str, Any]) -> str | None:
    if run.schema is None:
        return None
    errors = validate_entity_attributes(run.schema.attributes, attributes)
    return "; ".join(error.message for error in errors) or None


async def apply_pulls(run: Run, items: Sequence[PullItem]) -> list[str]:
    """Write a page of remote changes: one read of the entities, batched writes, one commit.

    Returns the ids of the entities written, so a bidirectional run does not visit them again.
    """
    if not items:
        return []
    # A product that carries our identity metafield was pushed by us: link, never duplicate.
    linked = {
        item.product["id"]: entity_id
        for item in items
        if item.mapping is None and (entity_id := entity_id_from_product(item.product))
    }
    wanted = [item.mapping.entity_id for item in items if item.mapping] + list(linked.values())
    async with run.sessions() as session:
        existing = await entities_by_ids(session, wanted)
        ours = await ids_in_scope(
            session, list(linked.values()), run.channel.schema_id, run.channel.catalog_ids
        )
    now = run.now()
    created: list[Entity] = []
    updated: dict[str, dict[str, Any]] = {}
    new_mappings: list[SyncMapping] = []
    changed_mappings: list[dict[str, Any]] = []
    for item in items:
        product = item.product
        entity_id = item.mapping.entity_id if item.mapping else linked.get(product["id"])
        entity = existing.get(entity_id) if entity_id else None
        if item.mapping is None and entity is not None and entity.id not in ours:
            # Pushed for an entity outside this channel's schema and catalogs (another channel
            # on the same store): linking would overwrite that entity with this store's values,
            # creating one would duplicate it.
            run.recorder.count("skipped")
            tally(run, "otherChannels")
            continue
        media = known_media(
            item.mapping, entity.attributes if entity else None, product, run.mappings
        )
        pulled = attributes_from_product(product, run.mappings, media)
        attributes = {**entity.attributes, **pulled} if entity else pulled
        problem = _problems(run, attributes)
        if problem:
            run.recorder.fail(f"cannot store the product: {problem}", entity_id, product["id"])
            continue
        if entity is not None:
            updated[entity.id] = attributes
        else:
            assert run.schema is not None  # the runner refuses pulls without a schema
            entity = Entity(schema_id=run.schema.id, attributes=attributes)
            created.append(entity)
        values = mapping_values(
            product,
            run.mappings,
            checksum=entity_checksum(attributes, run.mappings),
            media=media,
            now=now,
            pushed=False,
        )
        if item.mapping is not None:
            changed_mappings.append({"id": item.mapping.id, **values})
        else:
            new_mappings.append(
                SyncMapping(channel_id=run.channel.id, entity_id=entity.id, **values)
            )
        run.recorder.count("pulled")
    tally(run, "created", len(created))
    catalog = run.channel.catalog_ids[0] if run.channel.catalog_ids else None
    async with run.sessions() as session:
        await insert_entities(session, created, catalog)
        await update_entity_attributes(session, updated)
        await write_mappings(session, new_mappings, changed_mappings)
        await session.commit()
    return [entity.id for entity in created] + list(updated)


def pull_window(run: Run) -> str | None:
    last = run.channel.last_pulled_at
    return iso(last - OVERLAP) if last is not None else None


async def pull_links(run: Run, linker: Linker) -> None:
    """Pull the products paired with existing entities, once every page was offered."""
    links = await linker.resolve()
    items = [
        PullItem(link.product, link.mapping, product_checksum(link.product, run.mappings))
        for link in links
    ]
    await apply_pulls(run, items)


async def pull_page(run: Run, linker: Linker, products: list[ProductRecord]) -> None:
    """Pull one page of store products: mapped ones by their mapping; an unmapped one matching
    an unlinked entity is left to the linker's pairing."""
    async with run.sessions() as session:
        mappings = await mappings_for_products(session, run.channel.id, [p["id"] for p in products])
    items = []
    for product in products:
        mapping = mappings.get(product["id"])
        if mapping is None and await linker.offer(product, mapped=False):
            continue
        item = plan_pull(run, product, mapping)
        if item is None:
            run.recorder.count("skipped")
        else:
            items.append(item)
    await apply_pulls(run, items)


async def pull(run: Run) -> None:
    started = run.now()
    linker = Linker(run)
    async for page in product_pages(run, pull_window(run)):
        await pull_page(run, linker, page)
        await run.recorder.maybe_flush()
    await pull_links(run, linker)
    await advance_window(run, started)


async def advance_window(run: Run, started: datetime) -> None:
    """Only a pull with no failed item moves the window, so failed products are read again."""
    if run.recorder.counters["failed"]:
        return
    async with run.sessions() as session:
        await set_last_pulled(session, run.channel.id, started)
