"""Resolvers: bind the emulator SDL to the store's records (the executable schema)."""

from functools import cache
from operator import attrgetter
from typing import Any

from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLScalarType, GraphQLSchema

from emulator.clock import iso
from emulator.connections import Resolver
from emulator.models import (
    BulkOperation,
    Location,
    MediaImage,
    Metafield,
    MetafieldDefinition,
    Product,
    Variant,
)
from emulator.mutation_resolvers import MUTATION
from emulator.object_resolvers import (
    BULK_OPERATION,
    DEFINITION,
    INVENTORY_ITEM,
    INVENTORY_LEVEL,
    LOCATION,
    MEDIA_IMAGE,
    METAFIELD,
    OPTION_VALUE,
    PRODUCT,
    SHOP,
    VARIANT,
    InventoryLevel,
)
from emulator.query_resolvers import QUERY_ROOT
from emulator.schema import build_sdl_schema
from emulator.webhooks import WEBHOOK_SUBSCRIPTION, Subscription

BINDINGS: dict[str, dict[str, Resolver]] = {
    "QueryRoot": QUERY_ROOT,
    "Mutation": MUTATION,
    "Product": PRODUCT,
    "ProductVariant": VARIANT,
    "InventoryItem": INVENTORY_ITEM,
    "InventoryLevel": INVENTORY_LEVEL,
    "Location": LOCATION,
    "ProductOptionValue": OPTION_VALUE,
    "Metafield": METAFIELD,
    "MediaImage": MEDIA_IMAGE,
    "Shop": SHOP,
    "BulkOperation": BULK_OPERATION,
    "MetafieldDefinition": DEFINITION,
    "WebhookSubscription": WEBHOOK_SUBSCRIPTION,
}

TYPE_NAMES: dict[type, str] = {
    Product: "Product",
    Variant: "ProductVariant",
    BulkOperation: "BulkOperation",
    MediaImage: "MediaImage",
    Metafield: "Metafield",
    MetafieldDefinition: "MetafieldDefinition",
    Location: "Location",
    InventoryLevel: "InventoryLevel",
    Subscription: "WebhookSubscription",
}


def _resolve_type(value: Any, info: GraphQLResolveInfo, abstract: Any) -> str | None:
    return TYPE_NAMES.get(type(value))


def _adapt(resolver: Resolver) -> Resolver:
    """graphql-core passes (source, info, **args); attrgetters only take the source."""
    if isinstance(resolver, attrgetter):
        return lambda source, info, **_: resolver(source)
    return resolver


def _date_time(value: Any) -> Any:
    return iso(value) if isinstance(value, int) else value


@cache
def build_emulator_schema(modern: bool = True) -> GraphQLSchema:
    """The executable schema: the SDL with resolvers, type resolution and scalar formats.

    `modern`: the 2026-01-and-later schema (see `emulator.schema`); else the earlier one.
    Built once per era and process: resolvers take the store from the execution context, so
    every emulator shares it (building one took 90 ms, twice per emulator started)."""
    schema = build_sdl_schema(modern)
    for type_name, fields in BINDINGS.items():
        graphql_type = schema.type_map[type_name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for field_name, resolver in fields.items():
            if field_name in graphql_type.fields:  # 2026-01 fields are absent before it
                graphql_type.fields[field_name].resolve = _adapt(resolver)
    for interface in ("Node", "Media", "File"):
        schema.type_map[interface].resolve_type = _resolve_type  # type: ignore[attr-defined]
    date_time = schema.type_map["DateTime"]
    assert isinstance(date_time, GraphQLScalarType)
    date_time.coerce_output_value = _date_time
    date_time.serialize = _date_time  # type: ignore[method-assign]
    return schema
