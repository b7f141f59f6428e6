"""Entity-product mappings with the checksum of the state both sides agreed on."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import SyncMapping
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


async def iter_mapping_batches(
    session: AsyncSession, channel_id: str, batch_size: int = 1000
) -> Any:
    last = ""
    while True:
        rows = list(
            (
                await session.execute(
                    select(SyncMapping)
                    .where(col(SyncMapping.channel_id) == channel_id, col(SyncMapping.id) > last)
                    .order_by(SyncMapping.id)
                    .limit(batch_size)
                )
            )
            .scalars()
            .all()
        )
        if not rows:
            return
        yield rows
        last = rows[-1].id


async def write_mappings(
    session: AsyncSession, new: Sequence[SyncMapping], changed: Sequence[dict[str, Any]]
) -> None:
    """One INSERT for new mappings and one executemany UPDATE for changed ones (keyed by id)."""
    if new:
        await session.execute(insert(SyncMapping), [mapping.model_dump() for mapping in new])
    if changed:
        await session.execute(update(SyncMapping), list(changed))


async def delete_mappings(session: AsyncSession, ids: Sequence[str]) -> None:
    if ids:
        await session.execute(delete(SyncMapping).where(col(SyncMapping.id).in_(ids)))


def stamp(mapping: SyncMapping, when: datetime, pushed: bool) -> None:
    if pushed:
        mapping.last_pushed_at = when
    else:
        mapping.last_pulled_at = when
