"""Writes for products deleted in Shopify: unlink their entities, or delete them."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Entity, SyncMapping
from db.revisions import record_deletions


async def mapped_external_ids(
    session: AsyncSession, channel_id: str, after: str, limit: int
) -> list[tuple[str, str]]:
    """(mapping id, product id) of a channel's mappings in id order from `after`."""
    rows = await session.execute(
        select(col(SyncMapping.id), col(SyncMapping.external_id))
        .where(col(SyncMapping.channel_id) == channel_id, col(SyncMapping.id) > after)
        .order_by(col(SyncMapping.id))
        .limit(limit)
    )
    return [(str(mapping_id), str(external_id)) for mapping_id, external_id in rows.all()]


async def unlink_or_delete(
    session: AsyncSession, mappings: Sequence[SyncMapping], delete_entities: bool
) -> None:
    """Drop the mappings and, with `delete_entities`, their entities (recorded as deletions, so
    other channels apply their deletePolicy), in one transaction."""
    if not mappings:
        return
    await session.execute(
        delete(SyncMapping).where(col(SyncMapping.id).in_([m.id for m in mappings]))
    )
    if delete_entities:
        wanted = [m.entity_id for m in mappings]
        rows = await session.execute(select(col(Entity.id)).where(col(Entity.id).in_(wanted)))
        present = [str(entity_id) for entity_id in rows.scalars().all()]
        await session.execute(delete(Entity).where(col(Entity.id).in_(present)))
        await record_deletions(session, present)
    await session.commit()
