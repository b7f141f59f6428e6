"""metafieldDefinitionCreate: enough for the unique-values definition that customId upserts need."""

from typing import Any

from emulator.metafields import APP_NAMESPACE, user_error
from emulator.models import MetafieldDefinition
from emulator.store import Store
from emulator.values import KNOWN_METAFIELD_TYPES

UNIQUE_VALUE_TYPES = frozenset({"single_line_text_field", "number_integer", "url"})


def metafield_definition_create(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    namespace = data.get("namespace") or APP_NAMESPACE
    key, name, type_name, owner = data["key"], data["name"], data["type"], data["ownerType"]
    unique = bool(((data.get("capabilities") or {}).get("uniqueValues") or {}).get("enabled"))
    errors = []
    if not name.strip():
        errors.append(user_error(["definition", "name"], "Name can't be blank", "BLANK"))
    if not key.strip():
        errors.append(user_error(["definition", "key"], "Key can't be blank", "BLANK"))
    if type_name not in KNOWN_METAFIELD_TYPES:
        errors.append(
            user_error(["definition", "type"], "Type name is not included in the list", "INCLUSION")
        )
    elif unique and type_name not in UNIQUE_VALUE_TYPES:
        message = f"The unique values capability is not supported for type '{type_name}'."
        errors.append(user_error(["definition", "capabilities"], message, "INVALID"))
    if (owner, namespace, key) in store.definitions:
        errors.append(
            user_error(
                ["definition", "key"],
                "Key is in use for Product metafields on the 'namespace' namespace.",
                "TAKEN",
            )
        )
    if errors:
        return {"createdDefinition": None, "userErrors": errors}
    definition = MetafieldDefinition(
        store.next_id(), name, namespace, key, type_name, owner, unique
    )
    store.definitions[(owner, namespace, key)] = definition
    return {"createdDefinition": definition, "userErrors": []}
