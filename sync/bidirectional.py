"""Bidirectional sync: a three-way decision per pair against the stored checksum
(docs/sync-semantics.md)."""

from datetime import UTC

from db.clock import parse_iso
from db.entities import entities_by_ids
from db.enums import ConflictPolicy
from db.models import Entity
from db.sync_mappings import mappings_for_products
from sync.checksum import entity_checksum, product_checksum
from sync.deletions import apply_delete_policy
from sync.linking import Link, Linker
from sync.local_changes import close_scope, open_scope
from sync.mapping_row import known_media
from sync.product import ProductRecord
from sync.product_source import product_pages
from sync.pull import PullItem, advance_window, apply_pulls, plan_pull, pull_window
from sync.push import PushItem, plan_push, push_entities, push_items
from sync.run import Run


def resolve(policy: ConflictPolicy, entity: Entity, product: ProductRecord) -> str:
    """Both sides changed: 'push', 'pull' or 'manual'."""
    if policy == ConflictPolicy.LOCAL_WINS:
        return "push"
    if policy == ConflictPolicy.REMOTE_WINS:
        return "pull"
    if policy == ConflictPolicy.NEWEST_WINS:
        local = entity.updated_at
        if local.tzinfo is None:
            local = local.replace(tzinfo=UTC)
        return "push" if local >= parse_iso(product["updatedAt"]) else "pull"
    return "manual"


async def _settle_links(run: Run, links: list[Link], handled: set[str]) -> None:
    """A newly linked pair has no common past: the conflict policy decides which side wins
    (MANUAL lets it through only when both sides already agree)."""
    policy = ConflictPolicy(run.channel.conflict_policy)
    pulls: list[PullItem] = []
    pushes: list[PushItem] = []
    for link in links:
        handled.add(link.entity.id)
        local = entity_checksum(link.entity.attributes, run.mappings)
        # the store's images read as the entity's sources they were uploaded from (matched by
        # file name), so identical galleries are not a difference
        sources = known_media(link.mapping, link.entity.attributes, link.product, run.mappings)
        remote = product_checksum(link.product, run.mappings, sources=sources)
        decision = resolve(policy, link.entity, link.product)
        if decision == "manual" and local == remote:
            decision = "push"
        if decision == "push":
            pushes.append(PushItem(link.entity, link.mapping, local))
        elif decision == "pull":
            pulls.append(PullItem(link.product, link.mapping, remote))
        else:
            run.recorder.fail(
                "conflict: linked to an existing store product by the channel's matchBy key, "
                "but the two differ and the conflictPolicy is MANUAL, so neither side was changed",
                entity_id=link.entity.id,
                external_id=link.product["id"],
            )
    handled.update(await apply_pulls(run, pulls))
    await push_items(run, pushes)


async def _remote_phase(run: Run, handled: set[str], linker: Linker) -> None:
    """Products changed in Shopify since the last pull, each decided against its entity."""
    policy = ConflictPolicy(run.channel.conflict_policy)
    window = pull_window(run)
    async for page in product_pages(run, window):
        async with run.sessions() as session:
            mappings = await mappings_for_products(session, run.channel.id, [p["id"] for p in page])
            entities = await entities_by_ids(session, [m.entity_id for m in mappings.values()])
        pulls: list[PullItem] = []
        pushes: list[PushItem] = []
        for product in page:
            mapping = mappings.get(product["id"])
            # A store product matching an unlinked entity waits for the pairing below.
            if mapping is None and await linker.offer(product, mapped=False):
                continue
            pull_item = plan_pull(run, product, mapping)
            entity = entities.get(mapping.entity_id) if mapping else None
            if mapping is not None:
                handled.add(mapping.entity_id)
            if mapping is not None and entity is None:
                # Deleted in the PIM: apply_delete_policy deals with it after the local phase.
                run.recorder.count("skipped")
                continue
            push_item = plan_push(run, entity, mapping) if entity is not None else None
            if pull_item is None:
                if push_item is None:
                    run.recorder.count("skipped")
                else:
                    pushes.append(push_item)
                continue
            if push_item is None or mapping is None:
                pulls.append(pull_item)
                continue
            assert entity is not None
            decision = resolve(policy, entity, product)
            if decision == "push":
                pushes.append(push_item)
            elif decision == "pull":
                pulls.append(pull_item)
            else:
                run.recorder.fail(
                    "conflict: changed in both the PIM and Shopify since the last sync; "
                    "the channel's conflictPolicy is MANUAL, so neither side was changed",
                    entity_id=entity.id,
                    external_id=product["id"],
                )
        handled.update(await apply_pulls(run, pulls))
        await push_items(run, pushes)
        await run.recorder.maybe_flush()
    if window is None:
        linker.store_was_read()
    await _settle_links(run, await linker.resolve(), handled)


async def bidirectional(run: Run) -> None:
    started = run.now()
    handled: set[str] = set()
    linker = Linker(run)
    # Before the remote phase: the entities it pulls are written past the scope's revision, and
    # the next run reads them once more (their checksums match, so that costs no request).
    await open_scope(run)
    await _remote_phase(run, handled, linker)
    # Entities written since the last sync and not decided above: unmapped ones are created (or
    # linked: an entity made since the last pull may match an older store product), changed
    # ones pushed.
    await push_entities(run, None, handled, linker)
    await apply_delete_policy(run)
    await close_scope(run)
    await advance_window(run, started)
