"""Descriptions in the GraphQL schema: enums registered with theirs, and the rest filled in.

The domain keeps its enums free of Strawberry (db/ and sync/ never import graph), and the
object types stay short: the texts of graph.descriptions are applied to the built schema.
"""

from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any

import strawberry
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLEnumValue,
    GraphQLField,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
)
from strawberry.types.enum import StrawberryEnumDefinition

from graph.descriptions import DESCRIPTIONS

Describable = (
    GraphQLNamedType | GraphQLField | GraphQLArgument | GraphQLInputField | GraphQLEnumValue
)


def describe_enum(
    enum: type[Enum], description: str, values: Mapping[Any, str] | None = None
) -> None:
    """Register `enum` with Strawberry, describing the type and (when given) each value."""
    strawberry.enum(enum, description=description)
    definition: StrawberryEnumDefinition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    for value in definition.values:
        member = enum(value.value)
        if values is not None:
            # Every value documented: a new member without a description fails here, at import.
            value.description = values[member]


def public_elements(schema: GraphQLSchema) -> Iterator[tuple[str, Describable]]:
    """Every type, field, argument and enum value of the schema, keyed as in DESCRIPTIONS."""
    for name, type_ in schema.type_map.items():
        if name.startswith("__"):
            continue
        yield name, type_
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                yield f"{name}.{field_name}", field
                for arg_name, arg in field.args.items():
                    yield f"{name}.{field_name}({arg_name})", arg
        elif isinstance(type_, GraphQLInputObjectType):
            for field_name, input_field in type_.fields.items():
                yield f"{name}.{field_name}", input_field
        elif isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():
                yield f"{name}.{value_name}", value


def describe_schema(schema: GraphQLSchema) -> None:
    """Give every element without a description of its own the one from DESCRIPTIONS."""
    for key, element in public_elements(schema):
        text = DESCRIPTIONS.get(key)
        if text is not None and not element.description:
            element.description = text
