"""`productSet`: Shopify's declarative upsert of a whole product.

Semantics (https://shopify.dev/docs/api/admin-graphql/latest/mutations/productSet): list fields
given in the input (productOptions + variants, metafields, files) replace the existing lists,
entries not named are deleted; list fields omitted are left alone; omitted scalars are unchanged.
Options and variants are co-dependent. All checks run before anything is written, so a call with
userErrors changes nothing.

Identity, the reading that is hardest on a client where the docs leave room:
- a variant with an `id` of the product is updated in place (same id, inventory item and stock);
  a variant WITHOUT `id` is a new variant with a new id, a new inventory item and no stock, even
  when its option values equal an existing variant's ("Specifies the product variant to update or
  create a new variant if absent", ProductVariantSetInput.id). The existing one, not named, is
  deleted with its stock.
- a file with an `id` keeps that file (its alt may change; the list's order is the media order);
  a file with `originalSource` is always a new file, renamed on a name collision (emulator.media),
  even when the same source is already on the product ("The ID of an existing file" /
  "An external URL ... or a staged upload URL", FileSetInput). A file left out of the list is
  detached from the product but stays in the shop's file library: product media are files
  (MediaImage implements File), and nothing in productSet's docs says it deletes them.
- a `metafields` list deletes every product metafield it leaves out, including those in other
  apps' reserved namespaces (which it may not write): the docs make no exception, and that is the
  reading that catches a client sending only its own keys.
"""

from dataclasses import dataclass
from typing import Any

from emulator.ids import gid_number
from emulator.media import create_media, filename_taken, source_filename
from emulator.metafields import (
    UserError,
    merge_metafields,
    resolve_namespace,
    user_error,
    validate_metafields,
)
from emulator.models import MediaImage, OptionValue, Product, ProductOption, Variant
from emulator.store import Store
from emulator.variant_input import SET_CODES, apply_variant_input, check_variant_input, new_variant

MAX_OPTIONS = 3
MAX_VARIANTS = 2048
DEFAULT_OPTION = "Title"
DEFAULT_VALUE = "Default Title"


@dataclass
class SetResult:
    product: Product | None
    user_errors: list[UserError]


def _err(field: list[str], message: str, code: str) -> UserError:
    return user_error(field, message, code)


@dataclass
class _Target:
    product: Product | None
    custom_id: tuple[str, str, str] | None = None
    handle: str | None = None


def _resolve_target(
    store: Store, identifier: dict[str, Any] | None, data: dict[str, Any], errors: list[UserError]
) -> _Target:
    if not identifier:
        return _Target(None)
    if identifier.get("id") is not None:
        number = gid_number(identifier["id"], "Product")
        product = store.products.get(number) if number is not None else None
        if product is None:
            message = "Resource matching the identifier was not found."
            errors.append(_err(["identifier", "id"], message, "NOT_FOUND"))
        return _Target(product)
    if identifier.get("handle") is not None:
        handle = identifier["handle"]
        if "handle" in data and data["handle"] != handle:
            message = (
                "The identifier value does not match the value of the corresponding "
                "field in the input."
            )
            errors.append(_err(["input", "handle"], message, "INPUT_MISMATCH"))
        return _Target(store.product_by_handle(handle), handle=handle)
    custom = identifier["customId"]
    namespace = resolve_namespace(store, custom.get("namespace"))
    key, value = custom["key"], custom["value"]
    if not store.unique_definition("PRODUCT", namespace, key):
        message = (
            f"The metafield definition for '{namespace}.{key}' must exist for products "
            "and have the unique values capability enabled."
        )
        errors.append(_err(["identifier", "customId"], message, "INVALID_INPUT"))
        return _Target(None)
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
    return _Target(
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


def _validate(
    store: Store, target: _Target, data: dict[str, Any], errors: list[UserError]
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


def _apply_options(store: Store, product: Product, options: list[tuple[str, list[str]]]) -> None:
    by_name = {o.name.lower(): o for o in product.options}
    rebuilt: list[ProductOption] = []
    for name, values in options:
        old = by_name.get(name.lower())
        old_values = {v.name.lower(): v.id for v in old.values} if old else {}
        rebuilt.append(
            ProductOption(
                id=old.id if old else store.next_id(),
                name=name,
                values=[
                    OptionValue(old_values.get(v.lower()) or store.next_id(), v) for v in values
                ],
            )
        )
    product.options = rebuilt


def _apply_variants(
    store: Store,
    product: Product,
    options: list[tuple[str, list[str]]],
    inputs: list[dict[str, Any]],
    now: int,
) -> None:
    by_id = {v.id: v for v in product.variants}
    ordered = sorted(
        enumerate(inputs), key=lambda pair: (pair[1].get("position") or pair[0] + 1, pair[0])
    )
    rebuilt: list[Variant] = []
    used: set[int] = set()
    for _, data in ordered:
        chosen = {
            (v["optionName"] or "").lower(): (v.get("name") or "") for v in data["optionValues"]
        }
        values = [
            next(x for x in vals if x.lower() == chosen[name.lower()].lower())
            for name, vals in options
        ]
        number = gid_number(data["id"], "ProductVariant") if data.get("id") else None
        variant = by_id.get(number) if number is not None else None
        if variant is None or variant.id in used:
            variant = new_variant(store, product.id, values, now)
        elif variant.option_values != values:
            variant.option_values, variant.updated_at = values, now
        apply_variant_input(store, variant, data, now, replace_metafields=True)
        used.add(variant.id)
        rebuilt.append(variant)
        file = data.get("file")
        if file:
            # The variant's image joins the product's media (ProductVariantSetInput.file).
            media = _file_media(store, file, now)
            if media not in product.media:
                product.media.append(media)
    product.variants = rebuilt


def _media(store: Store, file: dict[str, Any], now: int) -> MediaImage:
    return create_media(store, file["originalSource"], file.get("alt"), file.get("filename"))


def _file_media(store: Store, file: dict[str, Any], now: int) -> MediaImage:
    """The media a checked FileSetInput stands for: the existing file named by `id` (its alt
    updated when given), else a new file from `originalSource`."""
    if not file.get("id"):
        return _media(store, file, now)
    media = store.library[gid_number(file["id"], "MediaImage") or 0]
    if "alt" in file and file["alt"] != media.alt:
        media.alt, media.updated_at = file["alt"], now
    return media


def _apply_files(store: Store, product: Product, files: list[dict[str, Any]], now: int) -> None:
    product.media = [_file_media(store, file, now) for file in files]


def _new_product(store: Store, data: dict[str, Any], target: _Target, now: int) -> Product:
    handle_source = data.get("handle") or target.handle
    handle = handle_source if handle_source else store.unique_handle(data["title"])
    product = Product(store.next_id(), data["title"], handle, now, now)
    product.options = [
        ProductOption(
            store.next_id(), DEFAULT_OPTION, [OptionValue(store.next_id(), DEFAULT_VALUE)]
        )
    ]
    product.variants = [new_variant(store, product.id, [DEFAULT_VALUE], now)]
    return product


def apply_scalars(store: Store, product: Product, data: dict[str, Any]) -> None:
    """The scalar fields of a product input (productSet, productCreate, productUpdate)."""
    for attr, key in (
        ("title", "title"),
        ("description_html", "descriptionHtml"),
        ("vendor", "vendor"),
        ("product_type", "productType"),
        ("status", "status"),
    ):
        if data.get(key) is not None:
            setattr(product, attr, data[key])
    if data.get("tags") is not None:
        product.tags = sorted({t.strip() for t in data["tags"] if t.strip()}, key=str.lower)
    if data.get("seo") is not None:
        seo = data["seo"]
        if "title" in seo:
            product.seo_title = seo["title"]
        if "description" in seo:
            product.seo_description = seo["description"]
    if data.get("handle") and data["handle"] != product.handle:
        # `redirectNewHandle: true` keeps the old URL working with a redirect to the new one
        # (ProductUpdateInput/ProductSetInput.redirectNewHandle, Shopify's SDL: "Whether a
        # redirect is required after a new handle has been provided"; default false).
        if data.get("redirectNewHandle"):
            store.add_redirect(product.handle, data["handle"])
        store.set_handle(product, data["handle"])


def product_set(store: Store, identifier: dict[str, Any] | None, data: dict[str, Any]) -> SetResult:
    errors: list[UserError] = []
    target = _resolve_target(store, identifier, data, errors)
    if errors:
        return SetResult(None, errors)
    options = _validate(store, target, data, errors)
    if errors:
        return SetResult(None, errors)
    now = store.now()
    creating = target.product is None
    product = target.product or _new_product(store, data, target, now)
    before = "" if creating else repr(product)
    apply_scalars(store, product, data)
    if options is not None:
        _apply_options(store, product, options)
        _apply_variants(store, product, options, data["variants"], now)
    if data.get("metafields") is not None:
        product.metafields = merge_metafields(
            store, product.metafields, data["metafields"], "PRODUCT", replace=True
        )
    if target.custom_id is not None:
        namespace, key, value = target.custom_id
        if product.metafield(namespace, key) is None:
            item = {"namespace": namespace, "key": key, "value": value}
            product.metafields = merge_metafields(
                store, product.metafields, [item], "PRODUCT", replace=False
            )
    if data.get("files") is not None:
        _apply_files(store, product, data["files"], now)
    if creating:
        store.add_product(product)
        return SetResult(product, [])
    store.reindex_product(product)
    if repr(product) != before:
        product.updated_at = now
    return SetResult(product, [])
