"""`productSet`'s checks: which product an identifier names, and every userError of an input.

They run before anything is written (emulator.product_set applies an input only when they found
nothing), with Shopify's codes and messages (ProductSetUserErrorCode).
"""

from dataclasses import dataclass
from typing import Any

from emulator.ids import gid_number
from emulator.media import filename_taken, source_filename
from emulator.metafields import UserError, resolve_namespace, user_error, validate_metafields
from emulator.models import Product
from emulator.store import Store
from emulator.variant_input import SET_CODES, check_variant_input

MAX_OPTIONS = 3
MAX_VARIANTS = 2048


def _err(field: list[str], message: str, code: str) -> UserError:
    return user_error(field, message, code)


@dataclass
class Target:
    product: Product | None
    custom_id: tuple[str, str, str] | None = None
    handle: str | None = None


def resolve_target(
    store: Store, identifier: dict[str, Any] | None, data: dict[str, Any], errors: list[UserError]
) -> Target:
    if not identifier:
        return Target(None)
    if identifier.get("id") is not None:
        number = gid_number(identifier["id"], "Product")
        product = store.products.get(number) if number is not None else None
        if product is None:
            message = "Resource matching the identifier was not found."
            errors.append(_err(["identifier", "id"], message, "NOT_FOUND"))
        return Target(product)
    if identifier.get("handle") is not None:
        handle = identifier["handle"]
        if "handle" in data and data["handle"] != handle:
            message = (
                "The identifier value does not match the value of the corresponding "
                "field in the input."
            )
            errors.append(_err(["input", "handle"], message, "INPUT_MISMATCH"))
        return Target(store.product_by_handle(handle), handle=handle)
    custom = identifier["customId"]
    namespace = resolve_namespace(store, custom.get("namespace"))
    key, value = custom["key"], custom["value"]
    if not store.unique_definition("PRODUCT", namespace, key):
        message = (
            f"The metafield definition for '{namespace}.{key}' must exist for products "
            "and have the unique values capability enabled."
        )
        errors.append(_err(["identifier", "customId"], message, "INVALID_INPUT"))
        return Target(None)
    if "metafields" in data and data["metafields"] is not None:
        named = [
            m
            for m in data["metafields"]
            if resolve_namespace(store, m.get("namespace")) == namespace and m.get("key") == key
        ]
        if not named or any(m.get("value") != value for m in named):
            message = (
                "The input argument `metafields` (if present) must contain the `customId` value."
            )
            errors.append(_err(["input", "metafields"], message, "METAFIELD_MISMATCH"))
    return Target(
        store.product_by_metafield(namespace, key, value), custom_id=(namespace, key, value)
    )


def _validate_options(
    options: list[dict[str, Any]], current: Product | None, errors: list[UserError]
) -> list[tuple[str, list[str]]]:
    """The resolved (name, values) list; appends userErrors for Shopify's option rules."""
    if len(options) > MAX_OPTIONS:
        message = f"Can only specify a maximum of {MAX_OPTIONS} options"
        errors.append(_err(["input", "productOptions"], message, "OPTIONS_OVER_LIMIT"))
    by_id = {o.id: o for o in current.options} if current else {}
    resolved: list[tuple[str, list[str]]] = []
    seen_names: set[str] = set()
    for index, option in enumerate(options):
        where = ["input", "productOptions", str(index)]
        name = option.get("name")
        if not name and option.get("id"):
            found = by_id.get(gid_number(option["id"], "ProductOption") or -1)
            if found is None:
                errors.append(
                    _err([*where, "id"], "Option does not exist", "OPTION_DOES_NOT_EXIST")
                )
                continue
            name = found.name
        if not name:
            errors.append(_err([*where, "name"], "Option name can't be blank", "INVALID_INPUT"))
            continue
        if name.lower() in seen_names:
            message = f"Duplicated option name '{name}'"
            errors.append(_err([*where, "name"], message, "DUPLICATED_OPTION_NAME"))
        seen_names.add(name.lower())
        values = [v.get("name") for v in option.get("values") or []]
        if not values or any(not v for v in values):
            message = "Each option must have at least one option value specified."
            errors.append(_err([*where, "values"], message, "OPTION_VALUES_MISSING"))
            continue
        names = [str(v) for v in values]
        if len({v.lower() for v in names}) != len(names):
            message = f"Duplicated option value for option '{name}'"
            errors.append(_err([*where, "values"], message, "DUPLICATED_OPTION_VALUE"))
        resolved.append((name, names))
    return resolved


def _variant_combination(
    variant: dict[str, Any],
    index: int,
    options: list[tuple[str, list[str]]],
    errors: list[UserError],
) -> tuple[str, ...] | None:
    where = ["input", "variants", str(index), "optionValues"]
    chosen: dict[int, str] = {}
    for value in variant.get("optionValues") or []:
        option_name = value.get("optionName")
        position = next(
            (
                i
                for i, (n, _) in enumerate(options)
                if option_name and n.lower() == option_name.lower()
            ),
            None,
        )
        if position is None:
            message = f"Option '{option_name}' does not exist"
            errors.append(_err(where, message, "OPTION_DOES_NOT_EXIST"))
            return None
        name = value.get("name")
        match = next((v for v in options[position][1] if name and v.lower() == name.lower()), None)
        if match is None:
            message = f"Option value '{name}' does not exist for option '{options[position][0]}'"
            errors.append(_err(where, message, "OPTION_VALUE_DOES_NOT_EXIST"))
            return None
        chosen[position] = match
    if len(chosen) != len(options):
        message = "Each variant must specify one value for every product option"
        errors.append(_err(where, message, "INVALID_VARIANT"))
        return None
    return tuple(chosen[i] for i in range(len(options)))


def _validate_variant_fields(
    store: Store,
    variant: dict[str, Any],
    index: int,
    product: Product | None,
    errors: list[UserError],
) -> None:
    where = ["input", "variants", str(index)]
    existing = None
    if variant.get("id") is not None:
        number = gid_number(variant["id"], "ProductVariant")
        existing = next((v for v in product.variants if v.id == number), None) if product else None
        if existing is None:
            message = "Product variant does not exist"
            errors.append(_err([*where, "id"], message, "PRODUCT_VARIANT_DOES_NOT_EXIST"))
    errors += check_variant_input(store, variant, where, existing, SET_CODES)
    file = variant.get("file")
    if file is not None:
        errors += _check_file(store, file, [*where, "file"])


def _check_file(store: Store, file: dict[str, Any], where: list[str]) -> list[UserError]:
    """A FileSetInput names an existing file (`id`) or a source to create one from."""
    errors: list[UserError] = []
    if file.get("id"):
        number = gid_number(file["id"], "MediaImage")
        if number is None or number not in store.library:
            errors.append(_err([*where, "id"], "File does not exist.", "INVALID_INPUT"))
    elif not file.get("originalSource"):
        message = "File originalSource can't be blank"
        errors.append(_err([*where, "originalSource"], message, "INVALID_INPUT"))
    elif file.get("duplicateResolutionMode") == "RAISE_ERROR":
        name = file.get("filename") or source_filename(file["originalSource"])
        if filename_taken(store, name):
            message = f"Filename '{name}' is already in use."
            errors.append(_err([*where, "filename"], message, "INVALID_INPUT"))
    if file.get("contentType") not in (None, "IMAGE"):
        message = "Only IMAGE files are supported for product media here."
        errors.append(_err([*where, "contentType"], message, "INVALID_INPUT"))
    return errors


def validate_set_input(
    store: Store, target: Target, data: dict[str, Any], errors: list[UserError]
) -> list[tuple[str, list[str]]] | None:
    product = target.product
    if product is None and not data.get("title"):
        errors.append(_err(["input", "title"], "Title can't be blank", "INVALID_PRODUCT"))
    if "title" in data and product is not None and not data["title"]:
        errors.append(_err(["input", "title"], "Title can't be blank", "INVALID_PRODUCT"))
    handle = data.get("handle") or (target.handle if product is None else None)
    if handle and store.handle_taken(handle, product.id if product else None):
        message = f"Handle '{handle}' already in use. Please provide a new handle."
        errors.append(_err(["input", "handle"], message, "HANDLE_NOT_UNIQUE"))
    has_options = data.get("productOptions") is not None
    has_variants = data.get("variants") is not None
    if has_variants and not has_options:
        message = "Must specify product options when updating variants."
        errors.append(_err(["input", "productOptions"], message, "PRODUCT_OPTIONS_INPUT_MISSING"))
    if has_options and not has_variants:
        message = "Must specify variants when updating options."
        errors.append(_err(["input", "variants"], message, "VARIANTS_INPUT_MISSING"))
    if data.get("metafields") is not None:
        errors += validate_metafields(
            store,
            data["metafields"],
            ["input", "metafields"],
            "PRODUCT",
            product.id if product else None,
            "INVALID_METAFIELD",
        )
    for index, file in enumerate(data.get("files") or []):
        errors += _check_file(store, file, ["input", "files", str(index)])
    if not (has_options and has_variants):
        return None
    options = _validate_options(data["productOptions"], product, errors)
    variants = data["variants"]
    if len(variants) > MAX_VARIANTS:
        message = f"Number of product variants exceeds the limit of {MAX_VARIANTS}."
        errors.append(_err(["input", "variants"], message, "VARIANTS_OVER_LIMIT"))
        return options
    seen: set[tuple[str, ...]] = set()
    for index, variant in enumerate(variants):
        _validate_variant_fields(store, variant, index, product, errors)
        combination = _variant_combination(variant, index, options, errors)
        if combination is None:
            continue
        if tuple(v.lower() for v in combination) in seen:
            message = f"The variant '{' / '.join(combination)}' already exists."
            errors.append(_err(["input", "variants", str(index)], message, "INVALID_VARIANT"))
        seen.add(tuple(v.lower() for v in combination))
    return options
