"""Mutation resolvers: expected failures become userErrors, never exceptions
(docs/architecture.md)."""

from collections.abc import Awaitable
from typing import Any, TypeVar

import strawberry
from strawberry.types import Info

from db import channels, entities, schemas
from db.enums import SyncDirection as Direction
from db.errors import SyncInProgress, UserErrorCode, UserErrors
from graph.context import Context
from graph.inputs import (
    CatalogCreateInput,
    ChannelInput,
    EntityCreateInput,
    EntityUpdateInput,
    SchemaCreateInput,
)
from graph.payloads import (
    CatalogCreatePayload,
    ChannelPayload,
    DeletePayload,
    EntityPayload,
    SchemaCreatePayload,
    SyncPayload,
    TestConnectionPayload,
)
from graph.run_types import SyncLog
from graph.types import Catalog, Channel, Entity, SchemaType, ShopInfo, UserError
from sync import channels as channel_rules
from sync.channel_webhooks import update_channel_and_webhooks

T = TypeVar("T")


async def _attempt(work: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    try:
        return await work, []
    except UserErrors as failure:
        return None, [UserError.from_domain(error) for error in failure.errors]


def _channel_input(data: ChannelInput) -> channel_rules.ChannelInput:
    values: dict[str, Any] = {}
    for name in (
        "name",
        "shop_domain",
        "access_token",
        "api_version",
        "schema_id",
        "catalog_ids",
        "conflict_policy",
        "delete_policy",
        "match_by",
        "sync_schedule",
        "webhook_secret",
        "remote_delete_policy",
    ):
        value = getattr(data, name)
        if value is not strawberry.UNSET:
            values[name] = value
    if data.field_mappings is not strawberry.UNSET:
        values["field_mappings"] = [
            {
                key: value
                for key, value in {
                    "attribute": m.attribute,
                    "field": m.field,
                    "direction": m.direction.value if m.direction else None,
                    "metafieldType": m.metafield_type,
                }.items()
                if value is not None
            }
            for m in data.field_mappings or []
        ]
    return channel_rules.ChannelInput(**values)


def _not_an_object() -> UserError:
    return UserError(
        field=["attributes"], message="attributes must be an object", code=UserErrorCode.INVALID
    )


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def schema_create(
        self, info: Info[Context, None], input: SchemaCreateInput
    ) -> SchemaCreatePayload:
        attributes = [
            {"key": a.key, "label": a.label, "type": a.type.value, "required": a.required}
            for a in input.attributes
        ]
        async with info.context.session() as session:
            row, errors = await _attempt(schemas.create_schema(session, input.name, attributes))
        return SchemaCreatePayload(
            schema=SchemaType.from_row(row) if row else None, user_errors=errors
        )

    @strawberry.mutation
    async def catalog_create(
        self, info: Info[Context, None], input: CatalogCreateInput
    ) -> CatalogCreatePayload:
        async with info.context.session() as session:
            row, errors = await _attempt(schemas.create_catalog(session, input.name))
        return CatalogCreatePayload(
            catalog=Catalog.from_row(row) if row else None, user_errors=errors
        )

    @strawberry.mutation
    async def entity_create(
        self, info: Info[Context, None], input: EntityCreateInput
    ) -> EntityPayload:
        attributes = input.attributes
        if not isinstance(attributes, dict):
            return EntityPayload(user_errors=[_not_an_object()])
        async with info.context.session() as session:
            row, errors = await _attempt(
                entities.create_entity(
                    session, str(input.schema_id), [str(c) for c in input.catalog_ids], attributes
                )
            )
        return EntityPayload(entity=Entity.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation
    async def entity_update(
        self, info: Info[Context, None], id: strawberry.ID, input: EntityUpdateInput
    ) -> EntityPayload:
        attributes = None if input.attributes in (strawberry.UNSET, None) else input.attributes
        if attributes is not None and not isinstance(attributes, dict):
            return EntityPayload(user_errors=[_not_an_object()])
        catalog_ids = (
            None
            if input.catalog_ids in (strawberry.UNSET, None)
            else [str(c) for c in input.catalog_ids or []]
        )
        async with info.context.session() as session:
            row, errors = await _attempt(
                entities.update_entity(session, str(id), catalog_ids, attributes)
            )
        return EntityPayload(entity=Entity.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation
    async def entity_delete(self, info: Info[Context, None], id: strawberry.ID) -> DeletePayload:
        async with info.context.session() as session:
            deleted, errors = await _attempt(entities.delete_entity(session, str(id)))
        return DeletePayload(
            deleted_id=strawberry.ID(deleted) if deleted else None, user_errors=errors
        )

    @strawberry.mutation
    async def channel_create(
        self, info: Info[Context, None], input: ChannelInput
    ) -> ChannelPayload:
        services = info.context.services
        if input.webhooks is not strawberry.UNSET:
            refused = UserError(
                field=["webhooks"],
                message="webhooks are registered by channelUpdate once the channel exists",
                code=UserErrorCode.INVALID,
            )
            return ChannelPayload(channel=None, user_errors=[refused])
        async with info.context.session() as session:
            row, errors = await _attempt(
                channel_rules.create_channel(
                    session,
                    services.box,
                    _channel_input(input),
                    allow_any_host=services.settings.shopify_base_url is not None,
                )
            )
        return ChannelPayload(channel=Channel.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation
    async def channel_update(
        self, info: Info[Context, None], id: strawberry.ID, input: ChannelInput
    ) -> ChannelPayload:
        services = info.context.services
        webhooks = None if input.webhooks is strawberry.UNSET else input.webhooks
        async with info.context.session() as session:
            row, errors = await _attempt(
                update_channel_and_webhooks(
                    session,
                    services.box,
                    services.runner,
                    str(id),
                    _channel_input(input),
                    webhooks,
                    allow_any_host=services.settings.shopify_base_url is not None,
                    public_url=services.settings.public_url,
                )
            )
        return ChannelPayload(channel=Channel.from_row(row) if row else None, user_errors=errors)

    @strawberry.mutation
    async def channel_delete(self, info: Info[Context, None], id: strawberry.ID) -> DeletePayload:
        async with info.context.session() as session:
            deleted, errors = await _attempt(channels.delete_channel(session, str(id)))
        return DeletePayload(
            deleted_id=strawberry.ID(deleted) if deleted else None, user_errors=errors
        )

    @strawberry.mutation(description="Runs the shop query with the channel's credentials.")
    async def test_connection(
        self, info: Info[Context, None], channel_id: strawberry.ID
    ) -> TestConnectionPayload:
        result, errors = await _attempt(
            info.context.services.runner.test_connection(str(channel_id))
        )
        if result is None:
            return TestConnectionPayload(ok=False, message=errors[0].message, user_errors=errors)
        shop = result.shop
        return TestConnectionPayload(
            ok=result.ok,
            message=result.message,
            shop=ShopInfo(
                name=shop.name,
                myshopify_domain=shop.myshopify_domain,
                primary_domain_url=shop.primary_domain_url,
                plan_name=shop.plan_name,
                currency_code=shop.currency_code,
                iana_timezone=shop.iana_timezone,
            )
            if shop
            else None,
        )

    @strawberry.mutation(description="Pushes the channel's entities (or entityIds) to Shopify.")
    async def push(
        self,
        info: Info[Context, None],
        channel_id: strawberry.ID,
        entity_ids: list[strawberry.ID] | None = None,
        wait: bool = False,
    ) -> SyncPayload:
        ids = [str(e) for e in entity_ids] if entity_ids is not None else None
        return await _start(info, channel_id, Direction.PUSH, ids, wait)

    @strawberry.mutation(description="Pulls products from Shopify into entities.")
    async def pull(
        self,
        info: Info[Context, None],
        channel_id: strawberry.ID,
        wait: bool = False,
        reconcile_deletions: bool = False,
    ) -> SyncPayload:
        return await _start(info, channel_id, Direction.PULL, None, wait, reconcile_deletions)

    @strawberry.mutation(description="Bidirectional sync: push local and pull remote changes.")
    async def sync(
        self,
        info: Info[Context, None],
        channel_id: strawberry.ID,
        wait: bool = False,
        reconcile_deletions: bool = False,
    ) -> SyncPayload:
        return await _start(
            info, channel_id, Direction.BIDIRECTIONAL, None, wait, reconcile_deletions
        )


async def _start(
    info: Info[Context, None],
    channel_id: strawberry.ID,
    direction: Direction,
    entity_ids: list[str] | None,
    wait: bool,
    reconcile: bool = False,
) -> SyncPayload:
    runner = info.context.services.runner
    try:
        log = await runner.start(str(channel_id), direction, entity_ids, wait, reconcile=reconcile)
    except SyncInProgress as busy:
        return SyncPayload(
            sync_log=SyncLog.from_row(busy.running),
            user_errors=[UserError.from_domain(e) for e in busy.errors],
        )
    except UserErrors as failure:
        return SyncPayload(user_errors=[UserError.from_domain(e) for e in failure.errors])
    return SyncPayload(sync_log=SyncLog.from_row(log))
