"""Entities: PIM products, validated against their schema, in zero or more catalogs."""

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from typing import Any

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.attribute_rules import validate_entity_attributes
from db.clock import utcnow
from db.engine import SessionFactory
from db.errors import UserError, UserErrorCode, UserErrors, not_found
from db.models import Entity, EntityCatalog, Schema
from db.pagination import Page, paginate
from db.revisions import next_revision, record_deletions
from db.schemas import missing_catalogs


async def _check(
    session: AsyncSession,
    schema: Schema | None,
    schema_id: str,
    catalog_ids: list[str],
    attributes: dict[str, Any],
) -> None:
    errors: list[UserError] = []
    if schema is None:
        errors.append(
            UserError(["schemaId"], f"schema '{schema_id}' does not exist", UserErrorCode.NOT_FOUND)
        )
    else:
        errors += validate_entity_attributes(schema.attributes, attributes)
    for missing in await missing_catalogs(session, catalog_ids):
        errors.append(
            UserError(
                ["catalogIds"], f"catalog '{missing}' does not exist", UserErrorCode.NOT_FOUND
            )
        )
    if len(set(catalog_ids)) != len(catalog_ids):
        errors.append(
            UserError(["catalogIds"], "catalogIds holds a catalog twice", UserErrorCode.INVALID)
        )
    if errors:
        raise UserErrors(errors)


def _catalog_rows(entity_id: str, catalog_ids: list[str]) -> list[EntityCatalog]:
    return [
        EntityCatalog(entity_id=entity_id, catalog_id=catalog_id, position=position)
        for position, catalog_id in enumerate(catalog_ids)
    ]


async def create_entity(
    session: AsyncSession, schema_id: str, catalog_ids: list[str], attributes: dict[str, Any]
) -> Entity:
    await _check(session, await session.get(Schema, schema_id), schema_id, catalog_ids, attributes)
    entity = Entity(
        schema_id=schema_id, attributes=attributes, revision=await next_revision(session)
    )
    session.add(entity)
    session.add_all(_catalog_rows(entity.id, catalog_ids))
    await session.commit()
    return entity


async def update_entity(
    session: AsyncSession,
    entity_id: str,
    catalog_ids: list[str] | None,
    attributes: dict[str, Any] | None,
) -> Entity:
    """Replace the attributes and/or catalog memberships that are given; keep the rest."""
    entity = await session.get(Entity, entity_id)
    if entity is None:
        raise not_found("id", "entity", entity_id)
    new_attributes = entity.attributes if attributes is None else attributes
    new_catalogs = (await catalog_ids_for(session, [entity_id]))[entity_id]
    if catalog_ids is not None:
        new_catalogs = catalog_ids
    schema = await session.get(Schema, entity.schema_id)
    await _check(session, schema, entity.schema_id, new_catalogs, new_attributes)
    entity.attributes = dict(new_attributes)
    entity.updated_at = utcnow()
    entity.revision = await next_revision(session)
    if catalog_ids is not None:
        await session.execute(
            delete(EntityCatalog).where(col(EntityCatalog.entity_id) == entity_id)
        )
        session.add_all(_catalog_rows(entity_id, catalog_ids))
    session.add(entity)
    await session.commit()
    return entity


async def delete_entity(session: AsyncSession, entity_id: str) -> str:
    entity = await session.get(Entity, entity_id)
    if entity is None:
        raise not_found("id", "entity", entity_id)
    await session.delete(entity)
    await record_deletions(session, [entity_id])
    await session.commit()
    return entity_id


async def get_entity(session: AsyncSession, entity_id: str) -> Entity | None:
    return await session.get(Entity, entity_id)


def filtered_entities(schema_id: str | None, catalog_ids: Sequence[str] | None) -> Any:
    query = select(Entity)
    if schema_id:
        query = query.where(col(Entity.schema_id) == schema_id)
    if catalog_ids:
        member = exists().where(
            col(EntityCatalog.entity_id) == Entity.id,
            col(EntityCatalog.catalog_id).in_(catalog_ids),
        )
        query = query.where(member)
    return query


async def list_entities(
    session: AsyncSession,
    schema_id: str | None,
    catalog_id: str | None,
    first: int | None,
    after: str | None,
) -> Page[Entity]:
    query = filtered_entities(schema_id, [catalog_id] if catalog_id else None)
    return await paginate(session, query, Entity.id, first, after)


async def iter_entity_batches(
    sessions: SessionFactory,
    schema_id: str | None,
    catalog_ids: Sequence[str] | None,
    entity_ids: Sequence[str] | None = None,
    batch_size: int = 500,
) -> AsyncIterator[list[Entity]]:
    """The channel's entities in id order, a batch per short session, so memory stays flat.

    With `entity_ids` the filters are not applied: the caller named the entities it wants.
    """
    last = ""
    while True:
        if entity_ids is not None:
            query = select(Entity).where(col(Entity.id).in_(entity_ids))
        else:
            query = filtered_entities(None, catalog_ids)
            if schema_id:
                # Wrapped so that the planner walks the primary key from `last` instead of the
                # schema_id index: SQLite (no statistics) took the index, then read and sorted
                # every entity of the schema for each batch: O(N) per batch, O(N^2) per run.
                query = query.where(func.coalesce(col(Entity.schema_id), "") == schema_id)
        query = query.where(col(Entity.id) > last).order_by(Entity.id).limit(batch_size)
        async with sessions() as session:
            rows = list((await session.execute(query)).scalars().all())
        if not rows:
            return
        yield rows
        last = rows[-1].id
        if len(rows) < batch_size:
            return


async def ids_in_scope(
    session: AsyncSession,
    ids: Sequence[str],
    schema_id: str | None,
    catalog_ids: Sequence[str] | None,
) -> set[str]:
    """Which of these entities are of the schema and in one of the catalogs (a channel's)."""
    if not ids:
        return set()
    query = filtered_entities(schema_id, catalog_ids).where(col(Entity.id).in_(ids))
    rows = await session.execute(query.with_only_columns(col(Entity.id)))
    return {str(entity_id) for entity_id in rows.scalars().all()}


async def entities_by_ids(session: AsyncSession, ids: Sequence[str]) -> dict[str, Entity]:
    if not ids:
        return {}
    rows = await session.execute(select(Entity).where(col(Entity.id).in_(ids)))
    return {entity.id: entity for entity in rows.scalars().all()}


async def catalog_ids_for(session: AsyncSession, entity_ids: Sequence[str]) -> dict[str, list[str]]:
    result: dict[str, list[str]] = defaultdict(list)
    for entity_id in entity_ids:
        result[entity_id] = []
    if not entity_ids:
        return result
    rows = await session.execute(
        select(col(EntityCatalog.entity_id), col(EntityCatalog.catalog_id))
        .where(col(EntityCatalog.entity_id).in_(entity_ids))
        .order_by(col(EntityCatalog.entity_id), col(EntityCatalog.position))
    )
    for entity_id, catalog_id in rows.all():
        result[entity_id].append(catalog_id)
    return result


async def insert_entities(
    session: AsyncSession, entities: Sequence[Entity], catalog_id: str | None
) -> None:
    """Batch insert for pulls: one statement for the entities, one for their catalog rows."""
    if not entities:
        return
    revision = await next_revision(session)
    for entity in entities:
        entity.revision = revision
    await session.execute(insert(Entity), [entity.model_dump() for entity in entities])
    if catalog_id:
        await session.execute(
            insert(EntityCatalog),
            [{"entity_id": e.id, "catalog_id": catalog_id, "position": 0} for e in entities],
        )


async def update_entity_attributes(
    session: AsyncSession, changes: dict[str, dict[str, Any]]
) -> None:
    """Batch update of whole attribute objects, keyed by entity id."""
    if not changes:
        return
    now = utcnow()
    revision = await next_revision(session)
    await session.execute(
        update(Entity),
        [
            {"id": entity_id, "attributes": attrs, "updated_at": now, "revision": revision}
            for entity_id, attrs in changes.items()
        ],
    )


async def count_entities(
    session: AsyncSession, schema_id: str | None, catalog_ids: Sequence[str] | None
) -> int:
    query = select(func.count()).select_from(filtered_entities(schema_id, catalog_ids).subquery())
    return int((await session.execute(query)).scalar_one())
