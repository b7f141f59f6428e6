"""Checks of schema definitions and of entity attributes against their schema."""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from db.enums import AttributeType
from db.errors import UserError, UserErrorCode

_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
_TYPES = frozenset(kind.value for kind in AttributeType)
_MONEY = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")


def validate_schema_attributes(attributes: list[dict[str, Any]]) -> list[UserError]:
    errors: list[UserError] = []
    seen: set[str] = set()
    for index, attribute in enumerate(attributes):
        path = ["attributes", str(index), "key"]
        key = attribute.get("key", "")
        if not isinstance(key, str) or not _KEY.match(key):
            errors.append(
                UserError(
                    path,
                    f"attributes[{index}].key {key!r} must start with a letter or underscore and "
                    "hold only letters, digits and underscores (at most 64)",
                    UserErrorCode.INVALID,
                )
            )
        elif key in seen:
            errors.append(
                UserError(path, f"attributes[{index}].key {key!r} is repeated", UserErrorCode.TAKEN)
            )
        seen.add(key)
        kind = attribute.get("type")
        if kind not in _TYPES:
            errors.append(
                UserError(
                    ["attributes", str(index), "type"],
                    f"attributes[{index}].type {kind!r} is not one of {', '.join(sorted(_TYPES))}",
                    UserErrorCode.INVALID,
                )
            )
    return errors


def _type_problem(kind: str, value: Any) -> str | None:
    if kind in (AttributeType.TEXT, AttributeType.RICHTEXT):
        return None if isinstance(value, str) else "must be a string"
    if kind == AttributeType.NUMBER:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok else "must be a number"
    if kind == AttributeType.MONEY:
        text = (
            str(value) if isinstance(value, int | float) and not isinstance(value, bool) else value
        )
        if not isinstance(text, str) or not _MONEY.match(text.strip()):
            return 'must be a decimal amount such as "19.99"'
        try:
            Decimal(text)
        except InvalidOperation:
            return 'must be a decimal amount such as "19.99"'
        return None
    if kind == AttributeType.BOOLEAN:
        return None if isinstance(value, bool) else "must be true or false"
    if kind == AttributeType.LIST:
        return None if isinstance(value, list) else "must be a list"
    return None  # json holds anything JSON can


def validate_entity_attributes(
    schema_attributes: list[dict[str, Any]], attributes: dict[str, Any]
) -> list[UserError]:
    """Every key must be defined by the schema, hold its type, and required keys must be present."""
    errors: list[UserError] = []
    defined = {attribute["key"]: attribute for attribute in schema_attributes}
    for key, value in attributes.items():
        path = ["attributes", key]
        definition = defined.get(key)
        if definition is None:
            errors.append(
                UserError(
                    path,
                    f"attributes.{key} is not defined by the entity's schema",
                    UserErrorCode.UNKNOWN,
                )
            )
            continue
        if value is None:
            continue
        problem = _type_problem(definition["type"], value)
        if problem:
            errors.append(
                UserError(
                    path,
                    f"attributes.{key} {problem} ({definition['type']})",
                    UserErrorCode.INVALID,
                )
            )
    for key, definition in defined.items():
        if definition.get("required") and attributes.get(key) in (None, "", []):
            errors.append(
                UserError(
                    ["attributes", key], f"attributes.{key} is required", UserErrorCode.REQUIRED
                )
            )
    return errors
