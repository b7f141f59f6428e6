"""GraphQL input types; UNSET marks a field the caller did not send."""

import strawberry
from strawberry.scalars import JSON

from graph.types import (
    AttributeType,
    ConflictPolicy,
    DeletePolicy,
    MappingDirection,
    MatchBy,
    RemoteDeletePolicy,
)


@strawberry.input
class AttributeInput:
    key: str
    type: AttributeType
    label: str | None = None
    required: bool = False


@strawberry.input
class SchemaCreateInput:
    name: str
    attributes: list[AttributeInput]


@strawberry.input
class CatalogCreateInput:
    name: str


@strawberry.input
class EntityCreateInput:
    schema_id: strawberry.ID
    attributes: JSON
    catalog_ids: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.input
class EntityUpdateInput:
    attributes: JSON | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces all attributes when given."
    )
    catalog_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces the catalog memberships when given."
    )


@strawberry.input
class FieldMappingInput:
    attribute: str
    field: str
    direction: MappingDirection | None = None
    metafield_type: str | None = None


@strawberry.input
class ChannelInput:
    """channelCreate requires name and shopDomain; channelUpdate changes only what is given."""

    name: str | None = strawberry.UNSET
    shop_domain: str | None = strawberry.UNSET
    access_token: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Stored encrypted and never returned; an empty string removes it.",
    )
    api_version: str | None = strawberry.UNSET
    schema_id: strawberry.ID | None = strawberry.UNSET
    catalog_ids: list[strawberry.ID] | None = strawberry.UNSET
    field_mappings: list[FieldMappingInput] | None = strawberry.UNSET
    conflict_policy: ConflictPolicy | None = strawberry.UNSET
    delete_policy: DeletePolicy | None = strawberry.UNSET
    match_by: MatchBy | None = strawberry.UNSET
    sync_schedule: str | None = strawberry.UNSET
    webhook_secret: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="The key Shopify signs this store's webhooks with (the app's client "
        "secret); stored encrypted and never returned; an empty string removes it.",
    )
    remote_delete_policy: RemoteDeletePolicy | None = strawberry.UNSET
    webhooks: bool | None = strawberry.field(
        default=strawberry.UNSET,
        description="channelUpdate only. true: register the store's products/create, "
        "products/update and products/delete webhooks to {SIGMA_PUBLIC_URL}/webhooks/shopify "
        "(again, replacing earlier ones); false: remove them.",
    )
