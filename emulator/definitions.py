"""metafieldDefinitionCreate and the `metafieldDefinitions` query.

Rules (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldDefinitionCreate and
the changelog post https://shopify.dev/changelog/adding-unique-values-to-metafields):
- a definition for an (owner type, namespace, key) that exists already is `TAKEN`;
- the `uniqueValues` capability "is available for single_line_text_field, number_integer, url,
  and id" and "can only be set on metafield definitions that don't yet have associated
  metafields": values already stored under that namespace/key without a definition answer
  `UNSTRUCTURED_ALREADY_EXISTS` ("This namespace and key combination is already in use for a set
  of your metafields", Shopify's enum description);
- a plain definition over existing unstructured metafields adopts them: "The system updates each
  valid metafield's type to match the definition. Invalid metafields remain unchanged".
"""

from collections.abc import Iterator
from typing import Any

from emulator.metafields import resolve_namespace, user_error
from emulator.models import Metafield, MetafieldDefinition
from emulator.store import Store
from emulator.values import KNOWN_METAFIELD_TYPES, metafield_value_problem

UNIQUE_VALUE_TYPES = frozenset({"single_line_text_field", "number_integer", "url", "id"})
OWNER_LABELS = {"PRODUCT": "Product", "PRODUCTVARIANT": "ProductVariant"}


def _values(store: Store, owner_type: str, namespace: str, key: str) -> Iterator[Metafield]:
    for product in store.products.values():
        owners = [product] if owner_type == "PRODUCT" else product.variants
        for owner in owners:
            for mf in owner.metafields:
                if mf.namespace == namespace and mf.key == key:
                    yield mf


def metafield_definition_create(store: Store, data: dict[str, Any]) -> dict[str, Any]:
    namespace = resolve_namespace(store, data.get("namespace"))
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
        errors.append(user_error(["definition", "capabilities"], message, "INVALID_CAPABILITY"))
    label = OWNER_LABELS.get(owner, owner.title())
    if (owner, namespace, key) in store.definitions:
        message = f"Key is in use for {label} metafields on the '{namespace}' namespace."
        errors.append(user_error(["definition", "key"], message, "TAKEN"))
    elif unique and next(_values(store, owner, namespace, key), None) is not None:
        message = (
            f"The namespace and key '{namespace}.{key}' is already in use for a set of your "
            f"{label} metafields: unique values can only be enabled on a definition without "
            "existing values."
        )
        errors.append(user_error(["definition", "key"], message, "UNSTRUCTURED_ALREADY_EXISTS"))
    if errors:
        return {"createdDefinition": None, "userErrors": errors}
    definition = MetafieldDefinition(
        store.next_id(), name, namespace, key, type_name, owner, unique
    )
    store.definitions[(owner, namespace, key)] = definition
    for mf in _values(store, owner, namespace, key):
        if metafield_value_problem(type_name, mf.value) is None:
            mf.type = type_name
    return {"createdDefinition": definition, "userErrors": []}


def metafield_definitions(
    store: Store, owner_type: str, namespace: str | None, key: str | None
) -> list[MetafieldDefinition]:
    """The definitions of an owner type, filtered by namespace (`$app` resolved) and key."""
    wanted = resolve_namespace(store, namespace) if namespace is not None else None
    return [
        d
        for d in store.definitions.values()
        if d.owner_type == owner_type
        and (wanted is None or d.namespace == wanted)
        and (key is None or d.key == key)
    ]
