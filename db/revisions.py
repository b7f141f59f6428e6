"""Entity revisions: a monotonic number stamped on every entity write, so a run can read only
the entities written since its channel last synced.

Why a counter row and not a PostgreSQL sequence: a sequence hands out numbers in call order,
but transactions commit in any order, so a run could note revision 11 as covered while the
transaction holding 10 has yet to commit, and miss it for good. Taking the next value with an
UPDATE locks the row until the writer commits (PostgreSQL row lock; SQLite's single writer
lock), so a revision becomes visible only after every smaller one. The price is that entity
writes queue on that row for the length of their (short) transactions.
"""

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.models import Channel, EntityDeletion, RevisionCounter

_ROW = 1


async def next_revision(session: AsyncSession) -> int:
    """The revision for the writes of the session's current transaction (one per transaction:
    a batch of entities written together shares it)."""
    bumped = await session.execute(
        update(RevisionCounter)
        .where(col(RevisionCounter.id) == _ROW)
        .values(value=col(RevisionCounter.value) + 1)
        .returning(col(RevisionCounter.value))
    )
    value = bumped.scalar_one_or_none()
    if value is not None:
        return int(value)
    # Tables made without the migration (which inserts the row): start the counter here.
    await session.execute(insert(RevisionCounter).values(id=_ROW, value=1))
    return 1


async def current_revision(session: AsyncSession) -> int:
    """The last committed revision: every entity written at or below it is visible now."""
    value = await session.execute(
        select(func.coalesce(func.max(col(RevisionCounter.value)), 0)).where(
            col(RevisionCounter.id) == _ROW
        )
    )
    return int(value.scalar_one())


async def record_deletions(session: AsyncSession, entity_ids: Sequence[str]) -> None:
    if not entity_ids:
        return
    revision = await next_revision(session)
    await session.execute(
        insert(EntityDeletion), [{"entity_id": e, "revision": revision} for e in entity_ids]
    )


async def deletions_pruned_through(session: AsyncSession) -> int:
    """The revision up to which deletion records have been pruned (0: none)."""
    value = await session.execute(
        select(col(RevisionCounter.deletions_pruned_through)).where(col(RevisionCounter.id) == _ROW)
    )
    return int(value.scalar_one_or_none() or 0)


async def prune_deletions(session: AsyncSession) -> int:
    """Delete the deletion records that no channel's next incremental run reads: those at or
    below the lowest revision a channel has synced (channels that never synced read everything
    anyway). A channel that synced below the mark later, after a full run that began before this
    prune, finds itself behind it and reads everything once more. Returns the records deleted."""
    floor = await session.scalar(
        select(func.min(col(Channel.synced_revision))).where(
            col(Channel.synced_config).is_not(None)
        )
    )
    if not floor:
        return 0
    await session.execute(
        update(RevisionCounter)
        .where(
            col(RevisionCounter.id) == _ROW,
            col(RevisionCounter.deletions_pruned_through) < floor,
        )
        .values(deletions_pruned_through=floor)
    )
    pruned = await session.execute(
        delete(EntityDeletion).where(col(EntityDeletion.revision) <= floor)
    )
    return int(getattr(pruned, "rowcount", 0) or 0)
