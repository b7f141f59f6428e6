"""Writing the links pairing decided: our identity metafield on the product, then a mapping."""

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from db.entities import entities_by_ids
from db.models import Entity, SyncMapping
from db.sync_mappings import write_mappings
from sync.identity import identity_metafield
from sync.product import ProductRecord
from sync.push_write import ensure_identity
from sync.run import Run


def tally(run: Run, outcome: str, amount: int = 1) -> None:
    """The run log's `details.linking` counters: linked, created, ambiguous."""
    counts = run.recorder.details.setdefault(
        "linking", {"matchBy": run.channel.match_by, "linked": 0, "created": 0, "ambiguous": 0}
    )
    counts[outcome] = counts.get(outcome, 0) + amount


@dataclass
class Link:
    """An entity linked to the store product that matched it, with the mapping written."""

    entity: Entity
    product: ProductRecord
    mapping: SyncMapping


async def write_links(
    run: Run, pairs: Sequence[tuple[str, str]], products: Mapping[str, ProductRecord]
) -> tuple[list[Link], set[str]]:
    """Links for the (entity id, product id) pairs, and the entities whose link Shopify refused
    (each recorded as an error).

    Identity metafield first, then the mapping: a run that stops in between leaves a product
    that the next run finds by its identity rather than by key."""
    if not pairs:
        return [], set()
    await ensure_identity(run)
    async with run.sessions() as session:
        entities = await entities_by_ids(session, [entity_id for entity_id, _ in pairs])
    now = run.now()
    gate = asyncio.Semaphore(run.options.concurrency)
    failed: set[str] = set()

    async def link(entity_id: str, product_id: str) -> Link | None:
        product = products[product_id]
        async with gate:
            errors = await run.client.metafields_set(product_id, [identity_metafield(entity_id)])
        if errors:
            failed.add(entity_id)
            run.recorder.fail(
                "could not link the matching product: " + "; ".join(map(str, errors)),
                entity_id,
                product_id,
            )
            return None
        mapping = SyncMapping(
            channel_id=run.channel.id,
            entity_id=entity_id,
            external_id=product_id,
            external_variant_ids=[variant["id"] for variant in product["variants"]],
            updated_at=now,
        )
        return Link(entities[entity_id], product, mapping)

    # Concurrent like pushes: the cost limiter, not latency, sets the pace. A run-level
    # error (bad token, Shopify unreachable) stops the others and is the run's error.
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(link(e, p)) for e, p in pairs]
    except BaseExceptionGroup as failures:
        raise failures.exceptions[0] from None
    links = [found for task in tasks if (found := task.result()) is not None]
    async with run.sessions() as session:
        await write_mappings(session, [item.mapping for item in links], [])
        await session.commit()
    tally(run, "linked", len(links))
    return links, failed
