"""Entity-product mappings with the checksum of the state both sides agreed on."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Entity, SyncMapping
from db.pagination import Page, paginate


async def list_mappings(
    session: AsyncSession,
    channel_id: str,
    entity_id: str | None,
    first: int | None,
    after: str | None,
) -> Page[SyncMapping]:
    query = select(SyncMapping).where(col(SyncMapping.channel_id) == channel_id)
    if entity_id:
        query = query.where(col(SyncMapping.entity_id) == entity_id)
    return await paginate(session, query, SyncMapping.id, first, after)


async def mappings_for_entities(
    session: AsyncSession, channel_id: str, entity_ids: Sequence[str]
) -> dict[str, SyncMapping]:
    if not entity_ids:
        return {}
    rows = await session.execute(
        select(SyncMapping).where(
            col(SyncMapping.channel_id) == channel_id,
            col(SyncMapping.entity_id).in_(entity_ids),
        )
    )
    return {mapping.entity_id: mapping for mapping in rows.scalars().all()}


async def mapping_checksums(
    session: AsyncSession, channel_id: str, entity_ids: Sequence[str]
) -> dict[str, str | None]:
    """entity id -> its mapping's checksum, for the mapped ones among `entity_ids`.

    Two short columns instead of whole mappings: comparing a batch needs only the checksum, and
    building a SyncMapping decodes its three JSON columns (most of the CPU of a full comparison,
    where nearly every entity is unchanged). The changed ones are then read whole.
    """
    if not entity_ids:
        return {}
    rows = await session.execute(
        select(col(SyncMapping.entity_id), col(SyncMapping.checksum)).where(
            col(SyncMapping.channel_id) == channel_id,
            col(SyncMapping.entity_id).in_(entity_ids),
        )
    )
    return {entity_id: checksum for entity_id, checksum in rows.all()}


async def mappings_for_products(
    session: AsyncSession, channel_id: str, external_ids: Sequence[str]
) -> dict[str, SyncMapping]:
    if not external_ids:
        return {}
    rows = await session.execute(
        select(SyncMapping).where(
            col(SyncMapping.channel_id) == channel_id,
            col(SyncMapping.external_id).in_(external_ids),
        )
    )
    return {mapping.external_id: mapping for mapping in rows.scalars().all()}


async def orphan_mappings(
    session: AsyncSession, channel_id: str, after: str, limit: int
) -> list[SyncMapping]:
    """Mappings whose entity was deleted from the PIM, in id order from `after`."""
    entity_exists = exists().where(col(Entity.id) == col(SyncMapping.entity_id))
    rows = await session.execute(
        select(SyncMapping)
        .where(col(SyncMapping.channel_id) == channel_id, col(SyncMapping.id) > after)
        .where(~entity_exists)
        .order_by(col(SyncMapping.id))
        .limit(limit)
    )
    return list(rows.scalars().all())


# Rows per statement. SQLAlchemy prepares every row's parameters (JSON columns encoded) before
# it sends the first one, synchronously: 5,000 mappings held the event loop (and every request
# of the API, whose process runs the sync) for hundreds of milliseconds, and 500 still held it
# 54 ms on a slow 2-core machine (11 ms for 100); each statement awaits the database.
WRITE_CHUNK = 50


async def write_mappings(
    session: AsyncSession, new: Sequence[SyncMapping], changed: Sequence[dict[str, Any]]
) -> None:
    """INSERTs of new mappings and executemany UPDATEs of changed ones (keyed by id), in the
    session's transaction, `WRITE_CHUNK` rows per statement."""
    for start in range(0, len(new), WRITE_CHUNK):
        rows = [mapping.model_dump() for mapping in new[start : start + WRITE_CHUNK]]
        await session.execute(insert(SyncMapping), rows)
    for start in range(0, len(changed), WRITE_CHUNK):
        await session.execute(update(SyncMapping), list(changed[start : start + WRITE_CHUNK]))


async def delete_mappings(session: AsyncSession, ids: Sequence[str]) -> None:
    if ids:
        await session.execute(delete(SyncMapping).where(col(SyncMapping.id).in_(ids)))
