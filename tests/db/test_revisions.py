"""Entity revisions on SQLite and PostgreSQL: every write takes the next one, a writer holds the
counter until it commits, and a range read returns only what was written in it."""

import asyncio

from sqlalchemy import select
from sqlmodel import col

from db.engine import SessionFactory
from db.entities import (
    create_entity,
    delete_entity,
    insert_entities,
    update_entity,
    update_entity_attributes,
)
from db.entity_changes import iter_changed_entity_batches
from db.models import Channel, Entity, EntityDeletion, Schema
from db.revisions import (
    current_revision,
    deletions_pruned_through,
    next_revision,
    prune_deletions,
)


async def _schema(sessions: SessionFactory) -> str:
    async with sessions() as session:
        schema = Schema(name="P", attributes=[{"key": "name", "type": "text"}])
        session.add(schema)
        await session.commit()
        return schema.id


async def test_every_write_path_takes_a_new_revision(sessions: SessionFactory) -> None:
    schema_id = await _schema(sessions)
    async with sessions() as session:
        created = await create_entity(session, schema_id, [], {"name": "a"})
    async with sessions() as session:
        updated = await update_entity(session, created.id, None, {"name": "b"})
    assert updated.revision == created.revision + 1
    batch = [Entity(schema_id=schema_id, attributes={"name": str(i)}) for i in range(3)]
    async with sessions() as session:
        await insert_entities(session, batch, None)
        await session.commit()
    # one transaction, one revision
    assert {e.revision for e in batch} == {updated.revision + 1}
    async with sessions() as session:
        await update_entity_attributes(session, {batch[0].id: {"name": "x"}})
        await session.commit()
        revision = (await session.get(Entity, batch[0].id, populate_existing=True)).revision  # type: ignore[union-attr]
    assert revision == updated.revision + 2
    async with sessions() as session:
        await delete_entity(session, batch[1].id)
    async with sessions() as session:
        tombstone = (await session.execute(select(EntityDeletion))).scalar_one()
        assert (tombstone.entity_id, tombstone.revision) == (batch[1].id, revision + 1)
        assert await current_revision(session) == revision + 1


async def test_a_writer_holds_the_counter_until_it_commits(sessions: SessionFactory) -> None:
    """Why a run may store the counter it read at its start: nothing below it commits later."""
    async with sessions() as first:
        taken = await next_revision(first)

        async def second_writer() -> int:
            async with sessions() as second:
                value = await next_revision(second)
                await second.commit()
                return value

        waiting = asyncio.create_task(second_writer())
        await asyncio.sleep(0.3)
        assert not waiting.done()
        async with sessions() as reader:
            assert await current_revision(reader) == taken - 1  # not committed yet
        await first.commit()
    assert await asyncio.wait_for(waiting, 10) == taken + 1


async def test_a_range_read_returns_only_the_entities_written_in_it(
    sessions: SessionFactory,
) -> None:
    schema_id = await _schema(sessions)
    ids = []
    for i in range(7):
        async with sessions() as session:
            ids.append((await create_entity(session, schema_id, [], {"name": str(i)})).id)
    async with sessions() as session:
        start = (await session.get(Entity, ids[0])).revision  # type: ignore[union-attr]
    read = [
        entity.id
        async for batch in iter_changed_entity_batches(
            sessions, schema_id, None, start + 1, start + 5, batch_size=2
        )
        for entity in batch
    ]
    assert read == ids[2:6]


async def test_deletions_are_pruned_up_to_the_lowest_revision_a_channel_synced(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session:
        assert await prune_deletions(session) == 0  # no channel has synced: nothing is known
        session.add_all(
            [
                Channel(name="A", shop_domain="a.shop", synced_revision=5, synced_config="x"),
                Channel(name="B", shop_domain="b.shop", synced_revision=9, synced_config="x"),
                # never synced: its first run reads every entity, deletion records or not
                Channel(name="C", shop_domain="c.shop"),
            ]
        )
        session.add_all(EntityDeletion(entity_id=f"e{r}", revision=r) for r in (3, 5, 7, 11))
        await session.commit()
        assert await prune_deletions(session) == 2
        await session.commit()
        left = (await session.execute(select(col(EntityDeletion.revision)))).scalars().all()
        assert sorted(left) == [7, 11]
        assert await deletions_pruned_through(session) == 5
