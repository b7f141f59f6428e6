"""The channel's deletePolicy for entities deleted from the PIM since they were synced.

KEEP leaves the product and the mapping alone (the product is neither touched nor pulled back
as a new entity). ARCHIVE sets the product's status to ARCHIVED, Shopify's reversible way of
taking it off sale; the mapping stays, marked, so the product is archived once. DELETE removes
the product (irreversible in Shopify) and the mapping.
"""

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.entity_changes import orphan_mappings_since
from db.enums import DeletePolicy
from db.models import SyncMapping
from db.sync_mappings import delete_mappings, orphan_mappings, write_mappings
from sync.run import Run

# Stored as the mapping's checksum once its product is archived: no entity can hash to it.
ARCHIVED = "archived"


def _gone(messages: list[str]) -> bool:
    return any("does not exist" in message.lower() for message in messages)


async def _apply(
    run: Run, policy: DeletePolicy, mapping: SyncMapping
) -> dict[str, Any] | str | None:
    """The mapping change to write: a dict of new values, "delete", or None (failed)."""
    if policy == DeletePolicy.ARCHIVE:
        result = await run.client.product_set({"status": "ARCHIVED"}, {"id": mapping.external_id})
        messages = [error.message for error in result.user_errors]
        if result.product is not None:
            return {"id": mapping.id, "checksum": ARCHIVED, "last_pushed_at": run.now()}
    else:
        messages = [error.message for error in await run.client.delete_product(mapping.external_id)]
        if not messages:
            return "delete"
    if _gone(messages):  # deleted in Shopify already: nothing left to do
        return "delete"
    run.recorder.fail(
        f"cannot {policy.value.lower()} the product of a deleted entity: {'; '.join(messages)}",
        entity_id=mapping.entity_id,
        external_id=mapping.external_id,
    )
    return None


async def _orphans(run: Run, session: AsyncSession, after: str) -> list[SyncMapping]:
    scope, size = run.local_scope, run.options.batch_size
    if scope is None or scope.since is None:
        return await orphan_mappings(session, run.channel.id, after, size)
    # Only entities deleted since the last sync: older ones had the policy applied then.
    return await orphan_mappings_since(session, run.channel.id, scope.since, after, size)


async def apply_delete_policy(run: Run) -> None:
    policy = DeletePolicy(run.channel.delete_policy)
    if policy == DeletePolicy.KEEP:
        return
    gate = asyncio.Semaphore(run.options.concurrency)
    after = ""
    while True:
        async with run.sessions() as session:
            batch = await _orphans(run, session, after)
        if not batch:
            return
        after = batch[-1].id
        todo = [m for m in batch if not (policy == DeletePolicy.ARCHIVE and m.checksum == ARCHIVED)]

        async def one(mapping: SyncMapping) -> dict[str, Any] | str | None:
            async with gate:
                return await _apply(run, policy, mapping)

        outcomes = await asyncio.gather(*(one(mapping) for mapping in todo))
        changed = [outcome for outcome in outcomes if isinstance(outcome, dict)]
        removed = [m.id for m, outcome in zip(todo, outcomes, strict=True) if outcome == "delete"]
        run.recorder.count("pushed", len(changed) + len(removed))
        async with run.sessions() as session:
            await write_mappings(session, [], changed)
            await delete_mappings(session, removed)
            await session.commit()
        await run.recorder.maybe_flush()
