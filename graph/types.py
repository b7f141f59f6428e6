"""GraphQL object types: thin views over the db rows."""

from datetime import datetime
from typing import Any, Generic, TypeVar, cast

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from db import enums, models
from db.clock import utcnow
from db.errors import CODE_DESCRIPTIONS, UserErrorCode
from db.errors import UserError as DomainUserError
from db.pagination import Page
from graph.context import Context
from graph.schema_docs import describe_enum
from sync import field_rules, fields
from sync.channel_webhooks import TOPICS as WEBHOOK_TOPICS
from sync.shopify import versions

# The domain enums are the GraphQL enums: registered once, used directly in annotations.
for _enum in (
    enums.SyncDirection,
    enums.SyncStatus,
    enums.SyncPhase,
    enums.ConflictPolicy,
    enums.DeletePolicy,
    enums.MatchBy,
    enums.RemoteDeletePolicy,
    enums.ChannelType,
    enums.AttributeType,
    fields.MappingDirection,
):
    strawberry.enum(_enum)
describe_enum(
    UserErrorCode,
    "Why an input was refused, for a program to branch on (`message` says it for a person). "
    "Serialised as a string, so clients that compare strings keep working.",
    CODE_DESCRIPTIONS,
)
SyncDirection = enums.SyncDirection
SyncStatus = enums.SyncStatus
SyncPhase = enums.SyncPhase
ConflictPolicy = enums.ConflictPolicy
DeletePolicy = enums.DeletePolicy
MatchBy = enums.MatchBy
RemoteDeletePolicy = enums.RemoteDeletePolicy
ChannelType = enums.ChannelType
AttributeType = enums.AttributeType
MappingDirection = fields.MappingDirection

T = TypeVar("T")


@strawberry.type
class UserError:
    field: list[str] | None
    message: str
    code: UserErrorCode

    @classmethod
    def from_domain(cls, error: DomainUserError) -> "UserError":
        return cls(field=error.field, message=error.message, code=error.code)


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Connection(Generic[T]):
    nodes: list[T]
    page_info: PageInfo
    total_count: int


def connection(page: Page[Any], convert: Any) -> Any:
    return Connection(
        nodes=[convert(item) for item in page.items],
        page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
        total_count=page.total_count,
    )


@strawberry.type
class Attribute:
    key: str
    label: str | None
    type: AttributeType
    required: bool


@strawberry.type(name="Schema")
class SchemaType:
    id: strawberry.ID
    name: str
    attributes: list[Attribute]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: models.Schema) -> "SchemaType":
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            attributes=[
                Attribute(
                    key=a["key"],
                    label=a.get("label"),
                    type=enums.AttributeType(a["type"]),
                    required=bool(a.get("required")),
                )
                for a in row.attributes
            ],
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type
class Catalog:
    id: strawberry.ID
    name: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: models.Catalog) -> "Catalog":
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type
class Entity:
    id: strawberry.ID
    schema_id: strawberry.ID
    attributes: JSON
    created_at: datetime
    updated_at: datetime

    @strawberry.field
    async def catalog_ids(self, info: Info[Context, None]) -> list[strawberry.ID]:
        ids: list[str] = await info.context.loaders.catalog_ids.load(str(self.id))
        return [strawberry.ID(catalog_id) for catalog_id in ids]

    @strawberry.field
    async def schema(self, info: Info[Context, None]) -> SchemaType | None:
        row = await info.context.loaders.schemas.load(str(self.schema_id))
        return SchemaType.from_row(row) if row is not None else None

    @classmethod
    def from_row(cls, row: models.Entity) -> "Entity":
        return cls(
            id=strawberry.ID(row.id),
            schema_id=strawberry.ID(row.schema_id),
            attributes=cast(JSON, row.attributes),
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type
class FieldMapping:
    attribute: str
    field: str
    direction: MappingDirection
    metafield_type: str | None


@strawberry.type
class Channel:
    id: strawberry.ID
    name: str
    type: ChannelType
    shop_domain: str
    api_version: str
    api_version_warning: str | None = strawberry.field(
        description="Set when apiVersion is retired, within 90 days of its end of support, "
        "unreleased or unstable: what Shopify will do and which version to set instead."
    )
    has_access_token: bool
    has_webhook_secret: bool
    schema_id: strawberry.ID | None
    catalog_ids: list[strawberry.ID]
    field_mappings: list[FieldMapping] = strawberry.field(
        description=(
            "The channel's own mappings as saved; empty means the default mappings, listed in "
            "effectiveFieldMappings."
        )
    )
    effective_field_mappings: list[FieldMapping] = strawberry.field(
        description="The mappings a sync applies: fieldMappings, or the defaults when empty."
    )
    conflict_policy: ConflictPolicy
    delete_policy: DeletePolicy
    remote_delete_policy: RemoteDeletePolicy
    webhooks_registered: bool = strawberry.field(
        description="Whether the store's three product webhook subscriptions of this channel "
        "exist (registered by channelUpdate with webhooks: true). Turns false when a "
        "reconciliation finds that Shopify removed one after its deliveries kept failing; "
        "register them again with webhooks: true."
    )
    match_by: MatchBy = strawberry.field(
        description="How a first push, pull or sync links products already in the store to "
        "unlinked entities: by variant SKU, product handle or variant barcode."
    )
    last_pulled_at: datetime | None
    sync_schedule: str | None
    next_sync_at: datetime | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def from_row(cls, row: models.Channel) -> "Channel":
        def view(mapping: fields.FieldMapping) -> FieldMapping:
            return FieldMapping(
                attribute=mapping.attribute,
                field=mapping.field,
                direction=mapping.direction,
                metafield_type=mapping.metafield_type,
            )

        stored, _ = field_rules.parse_field_mappings(row.field_mappings)
        return cls(
            id=strawberry.ID(row.id),
            name=row.name,
            type=enums.ChannelType(row.type),
            shop_domain=row.shop_domain,
            api_version=row.api_version,
            api_version_warning=versions.warning(row.api_version, utcnow().date()),
            has_access_token=bool(row.access_token_encrypted),
            has_webhook_secret=bool(row.webhook_secret_encrypted),
            schema_id=strawberry.ID(row.schema_id) if row.schema_id else None,
            catalog_ids=[strawberry.ID(c) for c in row.catalog_ids],
            field_mappings=[view(m) for m in stored],
            effective_field_mappings=[view(m) for m in (stored or fields.DEFAULT_MAPPINGS)],
            conflict_policy=enums.ConflictPolicy(row.conflict_policy),
            delete_policy=enums.DeletePolicy(row.delete_policy),
            remote_delete_policy=enums.RemoteDeletePolicy(row.remote_delete_policy),
            webhooks_registered=len(row.webhook_subscription_ids or []) == len(WEBHOOK_TOPICS),
            match_by=enums.MatchBy(row.match_by),
            last_pulled_at=row.last_pulled_at,
            sync_schedule=row.sync_schedule,
            next_sync_at=row.next_sync_at,
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


@strawberry.type
class ShopInfo:
    name: str
    myshopify_domain: str
    primary_domain_url: str | None
    plan_name: str | None
    currency_code: str | None
    iana_timezone: str | None
