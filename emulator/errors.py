"""GraphQL errors in the shapes Shopify (graphql-ruby) returns them."""

import re
from typing import Any

from graphql import GraphQLError

THROTTLED_DOC = "https://shopify.dev/api/usage/rate-limits"
INVALID_TOKEN = "[API] Invalid API key or access token (unrecognized login or wrong password)"

_RULES: list[tuple[re.Pattern[str], Any]] = [
    (
        re.compile(r"Cannot query field '(\w+)' on type '(\w+)'"),
        lambda m: (
            f"Field '{m[1]}' doesn't exist on type '{m[2]}'",
            {"code": "undefinedField", "typeName": m[2], "fieldName": m[1]},
        ),
    ),
    (
        re.compile(r"Unknown argument '(\w+)' on field '(\w+)\.(\w+)'"),
        lambda m: (
            f"Field '{m[3]}' doesn't accept argument '{m[1]}'",
            {
                "code": "argumentNotAccepted",
                "name": m[3],
                "typeName": "Field",
                "argumentName": m[1],
            },
        ),
    ),
    (
        re.compile(r"Argument '(\w+)\.(\w+)\((\w+):\)' of type '(.+)' is required"),
        lambda m: (
            f"Field '{m[2]}' is missing required arguments: {m[3]}",
            {
                "code": "missingRequiredArguments",
                "className": "Field",
                "name": m[2],
                "arguments": m[3],
            },
        ),
    ),
    (
        re.compile(r"Field '(\w+)' of type '(.+)' must have a selection of subfields"),
        lambda m: (
            f"Field must have selections (field '{m[1]}' returns {m[2].rstrip('!')} but has "
            f"no selections. "
            f"Did you mean '{m[1]} {{ ... }}'?)",
            {
                "code": "selectionMismatch",
                "nodeName": f"field '{m[1]}'",
                "typeName": m[2].rstrip("!"),
            },
        ),
    ),
    (
        re.compile(r"Unknown type '(\w+)'"),
        lambda m: (
            f"No such type {m[1]}, so it can't be a fragment condition",
            {"code": "undefinedType", "typeName": m[1]},
        ),
    ),
    (
        re.compile(r"Variable '\$(\w+)' is never used"),
        lambda m: (
            f"Variable ${m[1]} is declared by anonymous query but not used",
            {"code": "variableNotUsed", "variableName": m[1]},
        ),
    ),
    (
        re.compile(r"Variable '\$(\w+)' is not defined"),
        lambda m: (
            f"Variable ${m[1]} is used by anonymous query but not declared",
            {"code": "variableNotDefined", "variableName": m[1]},
        ),
    ),
]


def _locations(error: GraphQLError) -> list[dict[str, int]]:
    return [{"line": loc.line, "column": loc.column} for loc in error.locations or []]


def validation_error(error: GraphQLError) -> dict[str, Any]:
    for pattern, build in _RULES:
        match = pattern.search(error.message)
        if match:
            message, extensions = build(match)
            return {"message": message, "locations": _locations(error), "extensions": extensions}
    return {
        "message": error.message,
        "locations": _locations(error),
        "extensions": {"code": "validationError"},
    }


def syntax_error(error: GraphQLError) -> dict[str, Any]:
    found = re.search(r"found (.+?)\.?$", error.message)
    token = found.group(1).strip("'") if found else "input"
    loc = error.locations[0] if error.locations else None
    where = f" at [{loc.line}, {loc.column}]" if loc else ""
    return {"message": f'Parse error on "{token}"{where}', "locations": _locations(error)}


def variable_error(error: GraphQLError, variables: dict[str, Any]) -> dict[str, Any]:
    match = re.search(r"Variable '\$(\w+)'", error.message)
    name = match.group(1) if match else "input"
    type_match = re.search(r"of (?:non-null )?(?:required )?type '([^']+)'", error.message)
    type_name = type_match.group(1) if type_match else "unknown"
    return {
        "message": f"Variable ${name} of type {type_name} was provided invalid value",
        "locations": _locations(error),
        "extensions": {
            "value": variables.get(name),
            "problems": [{"path": [], "explanation": error.message}],
        },
    }


def resolver_error(error: GraphQLError) -> dict[str, Any]:
    formatted: dict[str, Any] = {"message": error.message, "locations": _locations(error)}
    if error.path:
        formatted["path"] = list(error.path)
    if error.original_error is not None and not isinstance(error.original_error, GraphQLError):
        formatted["message"] = "Internal error. Looks like something went wrong on our end."
        formatted["extensions"] = {"code": "INTERNAL_SERVER_ERROR"}
    return formatted


def max_cost_error(cost: int, limit: int) -> dict[str, Any]:
    return {
        "message": f"Query cost is {cost}, which exceeds the single query max cost limit "
        f"({limit}).",
        "extensions": {"code": "MAX_COST_EXCEEDED", "cost": cost, "maxCost": limit},
    }


def throttled_error() -> dict[str, Any]:
    return {
        "message": "Throttled",
        "extensions": {"code": "THROTTLED", "documentation": THROTTLED_DOC},
    }
