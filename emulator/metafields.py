"""Metafield input validation and list-replacement, shared by the product mutations."""

from typing import Any

from emulator.models import Metafield
from emulator.store import Store
from emulator.values import metafield_value_problem

APP_NAMESPACE = "$app"
UserError = dict[str, Any]


def resolve_namespace(store: Store, namespace: str | None) -> str:
    """The stored namespace: `$app` (also the default when omitted) is `app--<api client id>`,
    `$app:ns` is `app--<api client id>--ns`; any other namespace is taken as written.

    Source: https://shopify.dev/docs/apps/build/custom-data/ownership ("prefix the namespace
    with $app. The API will automatically convert this to ...
    app--{your-app-id}[--{optional-namespace}]"; "All APIs default to using a reserved namespace
    $app").
    """
    ns = namespace or APP_NAMESPACE
    own = f"app--{store.api_client_id}"
    if ns == APP_NAMESPACE:
        return own
    if ns.startswith(APP_NAMESPACE + ":"):
        return f"{own}--{ns[len(APP_NAMESPACE) + 1 :]}"
    return ns


def foreign_app_namespace(store: Store, namespace: str) -> bool:
    """True for another app's reserved namespace (`app--<other id>[--x]`): "no other app but
    yours can create or update" it (https://shopify.dev/docs/apps/build/custom-data/ownership)."""
    own = f"app--{store.api_client_id}"
    return namespace.startswith("app--") and not (
        namespace == own or namespace.startswith(own + "--")
    )


def user_error(field: list[str], message: str, code: str | None = None) -> UserError:
    error: UserError = {"field": field, "message": message}
    if code is not None:
        error["code"] = code
    return error


def metafield_type(store: Store, owner_type: str, item: dict[str, Any]) -> str | None:
    namespace = resolve_namespace(store, item.get("namespace"))
    definition = store.definitions.get((owner_type, namespace, item.get("key") or ""))
    return item.get("type") or (definition.type if definition else None)


def validate_metafields(
    store: Store,
    items: list[dict[str, Any]],
    path: list[str],
    owner_type: str,
    owner_id: int | None,
    code: str | None,
) -> list[UserError]:
    """Shopify's per-metafield checks; `code` is the payload's error code (None for UserError)."""
    errors: list[UserError] = []
    seen: set[tuple[str, str]] = set()
    for index, item in enumerate(items):
        where = [*path, str(index)]
        namespace = resolve_namespace(store, item.get("namespace"))
        key = item.get("key")
        if not key:
            errors.append(user_error([*where, "key"], "Key can't be blank", code))
            continue
        if foreign_app_namespace(store, namespace):
            message = f"Access to namespace '{namespace}' is denied: it is reserved by another app."
            errors.append(user_error([*where, "namespace"], message, code))
            continue
        if (namespace, key) in seen:
            message = f"Metafield {namespace}.{key} is specified more than once."
            errors.append(user_error(where, message, code))
        seen.add((namespace, key))
        type_name = metafield_type(store, owner_type, item)
        value = item.get("value")
        if not type_name:
            errors.append(user_error([*where, "type"], "Type can't be blank", code))
        elif value is None:
            errors.append(user_error([*where, "value"], "Value can't be blank", code))
        else:
            problem = metafield_value_problem(type_name, value)
            if problem:
                errors.append(user_error([*where, "value"], problem, code))
            definition = store.definitions.get((owner_type, namespace, key))
            if definition and definition.unique_values and owner_type == "PRODUCT":
                holder = store.product_by_metafield(namespace, key, value)
                if holder is not None and holder.id != owner_id:
                    message = f"Value is already in use by another product ({namespace}.{key})."
                    errors.append(
                        user_error([*where, "value"], message, code and "CAPABILITY_VIOLATION")
                    )
    return errors


def merge_metafields(
    store: Store,
    current: list[Metafield],
    items: list[dict[str, Any]],
    owner_type: str,
    *,
    replace: bool,
) -> list[Metafield]:
    """Apply validated inputs; `replace` drops metafields not named (productSet's list
    semantics)."""
    now = store.now()
    by_key = {(m.namespace, m.key): m for m in current}
    touched: list[Metafield] = []
    for item in items:
        namespace = resolve_namespace(store, item.get("namespace"))
        key = item["key"]
        type_name = metafield_type(store, owner_type, item) or "single_line_text_field"
        value = item["value"]
        existing = by_key.get((namespace, key))
        if existing is None:
            existing = Metafield(
                store.next_id(), namespace, key, type_name, value, now, now, owner_type
            )
            by_key[(namespace, key)] = existing
        elif existing.value != value or existing.type != type_name:
            existing.value, existing.type, existing.updated_at = value, type_name, now
        touched.append(existing)
    if replace:
        return touched
    return list(by_key.values())
