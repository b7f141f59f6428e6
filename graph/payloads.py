"""The payload of each mutation: its object(s) and the userErrors that stopped it."""

import strawberry

from graph.run_types import SyncLog
from graph.types import Catalog, Channel, Entity, SchemaType, ShopInfo, UserError


@strawberry.type
class SchemaCreatePayload:
    schema: SchemaType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CatalogCreatePayload:
    catalog: Catalog | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class EntityPayload:
    entity: Entity | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ChannelPayload:
    channel: Channel | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeletePayload:
    deleted_id: strawberry.ID | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SyncPayload:
    sync_log: SyncLog | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class TestConnectionPayload:
    ok: bool = False
    message: str = ""
    shop: ShopInfo | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
