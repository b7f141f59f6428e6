"""The domain enums registered as GraphQL enums, with descriptions a UI developer can act on.

The domain keeps its enums free of Strawberry (db/ and sync/ never import graph); this module
registers each once, with a description for the type and each value.
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition


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
