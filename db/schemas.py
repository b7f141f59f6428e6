"""Schemas (entity types) and catalogs: the small reference tables."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from db.attribute_rules import validate_schema_attributes
from db.errors import UserError, UserErrorCode, UserErrors
from db.models import Catalog, Schema


def _name_error(name: str) -> list[UserError]:
    name = name.strip()
    if not name or len(name) > 200:
        return [UserError(["name"], "name must be 1 to 200 characters", UserErrorCode.INVALID)]
    return []


async def create_schema(
    session: AsyncSession, name: str, attributes: list[dict[str, Any]]
) -> Schema:
    errors = _name_error(name) + validate_schema_attributes(attributes)
    if errors:
        raise UserErrors(errors)
    schema = Schema(name=name.strip(), attributes=attributes)
    session.add(schema)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise UserErrors(
            [
                UserError(
                    ["name"], f"a schema named '{name.strip()}' exists already", UserErrorCode.TAKEN
                )
            ]
        ) from None
    return schema


async def create_catalog(session: AsyncSession, name: str) -> Catalog:
    errors = _name_error(name)
    if errors:
        raise UserErrors(errors)
    catalog = Catalog(name=name.strip())
    session.add(catalog)
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()
        raise UserErrors(
            [
                UserError(
                    ["name"],
                    f"a catalog named '{name.strip()}' exists already",
                    UserErrorCode.TAKEN,
                )
            ]
        ) from None
    return catalog


async def list_schemas(session: AsyncSession) -> list[Schema]:
    return list((await session.execute(select(Schema).order_by(Schema.id))).scalars().all())


async def list_catalogs(session: AsyncSession) -> list[Catalog]:
    return list((await session.execute(select(Catalog).order_by(Catalog.id))).scalars().all())


async def schemas_by_ids(session: AsyncSession, ids: list[str]) -> dict[str, Schema]:
    rows = await session.execute(select(Schema).where(col(Schema.id).in_(ids)))
    return {schema.id: schema for schema in rows.scalars().all()}


async def missing_catalogs(session: AsyncSession, ids: list[str]) -> list[str]:
    if not ids:
        return []
    rows = await session.execute(select(col(Catalog.id)).where(col(Catalog.id).in_(ids)))
    found = set(rows.scalars().all())
    return [catalog_id for catalog_id in ids if catalog_id not in found]
