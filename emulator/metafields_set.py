"""metafieldsSet and metafieldsDelete: write or remove single metafields without list replacement.

metafieldsSet (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsSet): "Allows
a maximum of 25 metafields to be set at a time"; "This operation is atomic, meaning no changes are
persisted if an error is encountered"; `compareDigest` makes a write conditional on the stored
value's digest, `null` on the metafield not existing yet. `type` is "Required when there is no
corresponding definition". Error codes are MetafieldsSetUserErrorCode values; an app may not write
another app's reserved namespace (`APP_NOT_AUTHORIZED`,
https://shopify.dev/docs/apps/build/custom-data/ownership).
"""

import hashlib
import re
from typing import Any

from emulator.ids import gid, parse_gid
from emulator.metafields import (
    UserError,
    foreign_app_namespace,
    resolve_namespace,
    user_error,
)
from emulator.models import Metafield, Product, Variant
from emulator.store import Store
from emulator.values import KNOWN_METAFIELD_TYPES, metafield_value_problem

MAX_SET = 25
OWNER_TYPES = {"Product": "PRODUCT", "ProductVariant": "PRODUCTVARIANT"}
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
Owner = Product | Variant


def compare_digest(metafield: Metafield) -> str:
    """The digest `compareDigest` is checked against: changes whenever the value or type does."""
    raw = f"{metafield.id}:{metafield.type}:{metafield.value}"
    return hashlib.sha256(raw.encode()).hexdigest()


def _owner(store: Store, owner_id: str) -> tuple[Owner, Product] | None:
    parsed = parse_gid(owner_id)
    if parsed is None:
        return None
    type_name, number = parsed
    if type_name == "Product":
        product = store.products.get(number)
        return (product, product) if product is not None else None
    if type_name == "ProductVariant":
        owner = store.variant_owner(number)
        variant = next((v for v in owner.variants if v.id == number), None) if owner else None
        return (variant, owner) if variant is not None and owner is not None else None
    return None


def _find(owner: Owner, namespace: str, key: str) -> Metafield | None:
    return next((m for m in owner.metafields if m.namespace == namespace and m.key == key), None)


def _check_one(
    store: Store, item: dict[str, Any], index: int, planned: dict[tuple[str, str, str], str]
) -> UserError | None:
    where = ["metafields", str(index)]
    found = _owner(store, item["ownerId"])
    if found is None:
        return user_error([*where, "ownerId"], "Owner does not exist.", "INVALID")
    owner, product = found
    owner_type = "PRODUCT" if owner is product else "PRODUCTVARIANT"
    namespace = resolve_namespace(store, item.get("namespace"))
    key = item.get("key") or ""
    if foreign_app_namespace(store, namespace):
        message = f"Access to namespace '{namespace}' is denied: it is reserved by another app."
        return user_error([*where, "namespace"], message, "APP_NOT_AUTHORIZED")
    if not key.strip():
        return user_error([*where, "key"], "Key can't be blank.", "BLANK")
    slot = (item["ownerId"], namespace, key)
    if slot in planned:
        message = f"Metafield {namespace}.{key} is set more than once for the same owner."
        return user_error(where, message, "TAKEN")
    definition = store.definitions.get((owner_type, namespace, key))
    type_name = item.get("type") or (definition.type if definition else None)
    if not type_name:
        return user_error([*where, "type"], "Type can't be blank.", "BLANK")
    if type_name not in KNOWN_METAFIELD_TYPES:
        return user_error([*where, "type"], f"Type '{type_name}' is not valid.", "INVALID_TYPE")
    if definition is not None and definition.type != type_name:
        message = f"Type must be '{definition.type}', the type of the metafield's definition."
        return user_error([*where, "type"], message, "INVALID_TYPE")
    problem = metafield_value_problem(type_name, item["value"])
    if problem:
        return user_error([*where, "value"], problem, "INVALID_VALUE")
    if definition is not None and definition.unique_values and owner_type == "PRODUCT":
        holder = store.product_by_metafield(namespace, key, item["value"])
        taken_here = any(
            s[1:] == (namespace, key) and v == item["value"] for s, v in planned.items()
        )
        if (holder is not None and holder.id != product.id) or taken_here:
            message = f"Value is already in use by another product ({namespace}.{key})."
            return user_error([*where, "value"], message, "CAPABILITY_VIOLATION")
    if "compareDigest" in item:
        existing = _find(owner, namespace, key)
        digest = item["compareDigest"]
        if digest is not None and not _DIGEST.match(digest):
            code = "INVALID_COMPARE_DIGEST"
            return user_error([*where, "compareDigest"], "Invalid digest.", code)
        current = compare_digest(existing) if existing is not None else None
        if digest != current:
            message = "The metafield has been modified since it was loaded."
            return user_error([*where, "compareDigest"], message, "STALE_OBJECT")
    planned[slot] = item["value"]
    return None


def metafields_set(store: Store, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Validate all, then write all. A changed value moves its owner's `updatedAt` (and the
    product's): the docs do not say it does not, and a client that ignores it would miss a
    merchant's metafield edit on an `updated_at` pull, so the emulator takes the stricter reading.
    """
    if len(items) > MAX_SET:
        message = f"Exceeded the maximum metafields input limit of {MAX_SET}."
        error = user_error(["metafields"], message, "LESS_THAN_OR_EQUAL_TO")
        return {"metafields": None, "userErrors": [error]}
    planned: dict[tuple[str, str, str], str] = {}
    errors = [e for i, item in enumerate(items) if (e := _check_one(store, item, i, planned))]
    if errors:
        return {"metafields": None, "userErrors": errors}
    now = store.now()
    written: list[Metafield] = []
    touched: dict[int, Product] = {}
    for item in items:
        found = _owner(store, item["ownerId"])
        assert found is not None
        owner, product = found
        owner_type = "PRODUCT" if owner is product else "PRODUCTVARIANT"
        namespace = resolve_namespace(store, item.get("namespace"))
        key = item["key"]
        definition = store.definitions.get((owner_type, namespace, key))
        type_name = item.get("type") or (definition.type if definition else "")
        existing = _find(owner, namespace, key)
        if existing is None:
            existing = Metafield(
                store.next_id(), namespace, key, type_name, item["value"], now, now, owner_type
            )
            owner.metafields.append(existing)
            owner.updated_at = now
        elif (existing.value, existing.type) != (item["value"], type_name):
            existing.value, existing.type, existing.updated_at = item["value"], type_name, now
            owner.updated_at = now
        written.append(existing)
        touched[product.id] = product
    for product in touched.values():
        product.updated_at = max(product.updated_at, max(v.updated_at for v in product.variants))
        store.reindex_product(product)
    return {"metafields": written, "userErrors": []}


def metafields_delete(store: Store, items: list[dict[str, Any]]) -> dict[str, Any]:
    """Deletes by (ownerId, namespace, key); an identifier with no metafield gives `null` in
    `deletedMetafields` (https://shopify.dev/docs/api/admin-graphql/latest/mutations/metafieldsDelete)."""
    errors: list[UserError] = []
    for index, item in enumerate(items):
        where = ["metafields", str(index)]
        if _owner(store, item["ownerId"]) is None:
            errors.append(user_error([*where, "ownerId"], "Owner does not exist."))
        elif foreign_app_namespace(store, resolve_namespace(store, item["namespace"])):
            message = "Access to this namespace is denied: it is reserved by another app."
            errors.append(user_error([*where, "namespace"], message))
    if errors:
        return {"deletedMetafields": None, "userErrors": errors}
    now = store.now()
    deleted: list[dict[str, Any] | None] = []
    for item in items:
        found = _owner(store, item["ownerId"])
        assert found is not None
        owner, product = found
        namespace = resolve_namespace(store, item["namespace"])
        existing = _find(owner, namespace, item["key"])
        if existing is None:
            deleted.append(None)
            continue
        owner.metafields = [m for m in owner.metafields if m is not existing]
        owner.updated_at = product.updated_at = now
        store.reindex_product(product)
        owner_gid = gid("Product" if owner is product else "ProductVariant", owner.id)
        deleted.append({"ownerId": owner_gid, "namespace": namespace, "key": item["key"]})
    return {"deletedMetafields": deleted, "userErrors": []}
