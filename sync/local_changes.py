"""Local change tracking: a push or sync reads only the entities written since the channel's
last successful full run, so a run with nothing to do costs a few queries whatever the size.

Every entity write takes a revision from db.revisions. A run notes the counter when it starts
(`upto`); when it ends without a failed item, the channel stores that revision with a
fingerprint of the configuration the run used. The next run reads entities in
(stored revision, its own start]. The checksum still decides whether a read entity changed in
its mapped fields, so an edit of an unmapped attribute costs a read, not a Shopify call.

A different fingerprint (field mappings, schema, catalogs, deletePolicy, matchBy, or the
engine's mapping and checksum rules) makes the run compare every entity once, as a first run
does. A run with a failed item keeps the stored revision, so what failed is read again next
time.
"""

import hashlib
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

from sqlalchemy import update
from sqlmodel import col

from db.entities import iter_entity_batches
from db.entity_changes import iter_changed_entity_batches
from db.models import Channel, Entity
from db.revisions import current_revision, deletions_pruned_through, prune_deletions
from sync.checksum import CHECKSUM_VERSION
from sync.fields import FieldMapping, field_mappings_to_json
from sync.run import Run

# Bump when the mapping functions change what a push sends without changing the checksum
# (sync.checksum.CHECKSUM_VERSION covers its own changes): every entity is compared once more.
MAPPING_RULES_VERSION = 1


def config_fingerprint(channel: Channel, mappings: Sequence[FieldMapping]) -> str:
    """What decides which entities a channel covers and how they map, hashed."""
    config = {
        "rules": [MAPPING_RULES_VERSION, CHECKSUM_VERSION],
        "mappings": field_mappings_to_json(mappings),
        "schema": channel.schema_id,
        "catalogs": sorted(channel.catalog_ids),
        "deletePolicy": channel.delete_policy,
        "matchBy": channel.match_by,
    }
    canonical = json.dumps(config, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class LocalScope:
    # Entities above this revision are read; None: every entity (first run, new configuration).
    since: int | None
    # The counter when the run started: stored as the channel's synced revision on success.
    upto: int
    config: str


async def open_scope(run: Run) -> LocalScope:
    async with run.sessions() as session:
        upto = await current_revision(session)
        pruned = await deletions_pruned_through(session)
    config = config_fingerprint(run.channel, run.mappings)
    # Behind the pruned deletion records, the run would miss deletions: it reads everything.
    incremental = run.channel.synced_config == config and run.channel.synced_revision >= pruned
    scope = LocalScope(run.channel.synced_revision if incremental else None, upto, config)
    run.local_scope = scope
    run.recorder.details["localChanges"] = {
        "mode": "incremental" if incremental else "full",
        "sinceRevision": scope.since,
        "uptoRevision": upto,
        "read": 0,
    }
    return scope


async def entity_batches(run: Run, entity_ids: Sequence[str] | None) -> AsyncIterator[list[Entity]]:
    """The entities the run must compare: the named ones, the changed ones (after open_scope),
    or all of them."""
    channel, scope, size = run.channel, run.local_scope, run.options.batch_size
    if entity_ids is not None or scope is None or scope.since is None:
        batches = iter_entity_batches(
            run.sessions, channel.schema_id, channel.catalog_ids, entity_ids, size
        )
    else:
        batches = iter_changed_entity_batches(
            run.sessions,
            channel.schema_id,
            channel.catalog_ids,
            scope.since,
            scope.upto,
            size,
        )
    async for batch in batches:
        if "localChanges" in run.recorder.details:
            run.recorder.details["localChanges"]["read"] += len(batch)
        yield batch


async def close_scope(run: Run) -> None:
    """Record the revision the run covered, unless an item failed (it is read again)."""
    scope = run.local_scope
    if scope is None or run.recorder.counters["failed"]:
        return
    async with run.sessions() as session:
        await session.execute(
            update(Channel)
            .where(col(Channel.id) == run.channel.id)
            .values(synced_revision=scope.upto, synced_config=scope.config)
        )
        await session.commit()
        run.recorder.details["localChanges"]["deletionsPruned"] = await prune_deletions(session)
        await session.commit()
    run.channel.synced_revision = scope.upto
    run.channel.synced_config = scope.config
