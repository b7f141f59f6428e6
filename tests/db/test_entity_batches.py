"""A channel's entities are read in id order, batch by batch, along the primary key: each batch
costs its own rows, not a pass over every entity of the schema."""

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from db.entities import insert_entities, iter_entity_batches
from db.models import Catalog, Entity, Schema


async def _seed(sessions: SessionFactory, count: int) -> tuple[str, str, list[str]]:
    async with sessions() as session:
        schema = Schema(name="P", attributes=[{"key": "name", "type": "text"}])
        catalog = Catalog(name="Web")
        session.add_all([schema, catalog])
        await session.commit()
        entities = [Entity(schema_id=schema.id, attributes={"name": str(n)}) for n in range(count)]
        await insert_entities(session, entities, catalog.id)
        await session.commit()
    return schema.id, catalog.id, sorted(e.id for e in entities)


async def test_batches_cover_the_channel_in_id_order(sessions: SessionFactory) -> None:
    schema_id, catalog_id, ids = await _seed(sessions, 23)
    batches = [
        [e.id for e in batch]
        async for batch in iter_entity_batches(sessions, schema_id, [catalog_id], None, 5)
    ]
    assert [len(b) for b in batches] == [5, 5, 5, 5, 3]
    assert [i for b in batches for i in b] == ids


async def test_a_batch_walks_the_primary_key_on_sqlite(tmp_path: Path) -> None:
    # SQLite only: PostgreSQL plans with statistics; SQLite, without them, took the schema index.
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'plan.db'}")
    await apply_migrations(engine)
    sessions = session_factory(engine)
    schema_id, catalog_id, _ = await _seed(sessions, 3)
    statements: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        async for _ in iter_entity_batches(sessions, schema_id, [catalog_id], None, 2):
            pass
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)
    assert statements
    try:
        await _explain_each(engine, statements)
    finally:
        await engine.dispose()


async def _explain_each(engine: AsyncEngine, statements: list[tuple[str, Any]]) -> None:
    async with engine.connect() as connection:
        for statement, parameters in statements:
            plan = (
                await connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            ).all()
            details = " | ".join(str(row[-1]) for row in plan)
            # Before: "SEARCH entity USING INDEX ix_entity_schema_id (schema_id=?)" and "USE TEMP
            # B-TREE FOR ORDER BY": every entity of the schema read and sorted for each batch.
            assert "TEMP B-TREE" not in details, details
            assert "ix_entity_schema_id" not in details, details
