"""What changed in the PIM between two revisions: written entities and deleted ones, each read
by an index range, so a run with nothing to do reads nothing."""

from collections.abc import AsyncIterator, Sequence

from sqlalchemy import exists, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.engine import SessionFactory
from db.entities import filtered_entities
from db.models import Entity, EntityDeletion, SyncMapping


async def iter_changed_entity_batches(
    sessions: SessionFactory,
    schema_id: str | None,
    catalog_ids: Sequence[str] | None,
    after: int,
    upto: int,
    batch_size: int = 500,
) -> AsyncIterator[list[Entity]]:
    """The channel's entities with `after < revision <= upto`, in (revision, id) order, a batch
    per short session (ix_entity_revision_id). The upper bound leaves entities written while
    the run goes on to the next run, instead of meeting them twice."""
    last: tuple[int, str] = (after, "")
    while True:
        query = (
            filtered_entities(None, catalog_ids)
            .where(col(Entity.revision) > after, col(Entity.revision) <= upto)
            .where(tuple_(col(Entity.revision), col(Entity.id)) > tuple_(*last))
            .order_by(col(Entity.revision), col(Entity.id))
            .limit(batch_size)
        )
        if schema_id:
            # Wrapped so that no planner picks the schema_id index, which walks every entity of
            # the schema (SQLite without statistics does); the revision range keeps the read
            # proportional to the changes.
            query = query.where(func.coalesce(col(Entity.schema_id), "") == schema_id)
        async with sessions() as session:
            rows = list((await session.execute(query)).scalars().all())
        if not rows:
            return
        yield rows
        last = (rows[-1].revision, rows[-1].id)
        if len(rows) < batch_size:
            return


async def orphan_mappings_since(
    session: AsyncSession, channel_id: str, after_revision: int, after: str, limit: int
) -> list[SyncMapping]:
    """Mappings of entities deleted after `after_revision`, in id order from `after`."""
    # An IN over the (few) recent deletions, so the mapping side is read through its
    # (channel_id, entity_id) index rather than scanned.
    deleted = col(SyncMapping.entity_id).in_(
        select(col(EntityDeletion.entity_id)).where(col(EntityDeletion.revision) > after_revision)
    )
    entity_exists = exists().where(col(Entity.id) == col(SyncMapping.entity_id))
    rows = await session.execute(
        select(SyncMapping)
        .where(col(SyncMapping.channel_id) == channel_id, col(SyncMapping.id) > after)
        .where(deleted, ~entity_exists)
        .order_by(col(SyncMapping.id))
        .limit(limit)
    )
    return list(rows.scalars().all())
