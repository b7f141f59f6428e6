"""Query resolvers: parse arguments, call one db function, map rows to types."""

import strawberry
from strawberry.types import Info

from db import channels, entities, schemas, sync_mappings
from db.enums import SyncStatus as SyncStatusValue
from graph.context import Context
from graph.run_types import SyncLog, SyncMapping
from graph.selection import selects
from graph.types import (
    Catalog,
    Channel,
    Connection,
    Entity,
    SchemaType,
    SyncStatus,
    connection,
)


@strawberry.type
class Query:
    @strawberry.field
    async def channels(self, info: Info[Context, None]) -> list[Channel]:
        return [Channel.from_row(row) for row in await info.context.services.polls.channels()]

    @strawberry.field
    async def channel(self, info: Info[Context, None], id: strawberry.ID) -> Channel | None:
        async with info.context.session() as session:
            row = await channels.get_channel(session, str(id))
        return Channel.from_row(row) if row else None

    @strawberry.field
    async def sync_logs(
        self,
        info: Info[Context, None],
        channel_id: strawberry.ID,
        status: SyncStatus | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SyncLog]:
        page = await info.context.services.polls.sync_logs(
            str(channel_id),
            SyncStatusValue(status) if status else None,
            first,
            after,
            count=selects(info, "totalCount"),
        )
        return connection(page, SyncLog.from_row)

    @strawberry.field
    async def sync_log(self, info: Info[Context, None], id: strawberry.ID) -> SyncLog | None:
        row = await info.context.services.polls.sync_log(str(id))
        return SyncLog.from_row(row) if row else None

    @strawberry.field
    async def sync_mappings(
        self,
        info: Info[Context, None],
        channel_id: strawberry.ID,
        entity_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[SyncMapping]:
        async with info.context.session() as session:
            page = await sync_mappings.list_mappings(
                session, str(channel_id), str(entity_id) if entity_id else None, first, after
            )
        return connection(page, SyncMapping.from_row)

    @strawberry.field
    async def entities(
        self,
        info: Info[Context, None],
        schema_id: strawberry.ID | None = None,
        catalog_id: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Entity]:
        async with info.context.session() as session:
            page = await entities.list_entities(
                session,
                str(schema_id) if schema_id else None,
                str(catalog_id) if catalog_id else None,
                first,
                after,
            )
        return connection(page, Entity.from_row)

    @strawberry.field
    async def entity(self, info: Info[Context, None], id: strawberry.ID) -> Entity | None:
        async with info.context.session() as session:
            row = await entities.get_entity(session, str(id))
        return Entity.from_row(row) if row else None

    @strawberry.field
    async def schemas(self, info: Info[Context, None]) -> list[SchemaType]:
        async with info.context.session() as session:
            return [SchemaType.from_row(row) for row in await schemas.list_schemas(session)]

    @strawberry.field
    async def catalogs(self, info: Info[Context, None]) -> list[Catalog]:
        async with info.context.session() as session:
            return [Catalog.from_row(row) for row in await schemas.list_catalogs(session)]
