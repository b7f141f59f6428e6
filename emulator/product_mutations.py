"""productCreate / productUpdate / productDelete and the productVariantsBulk* mutations."""

from typing import Any

from emulator.ids import gid, gid_number
from emulator.media import create_media
from emulator.metafields import UserError, merge_metafields, user_error, validate_metafields
from emulator.models import MediaImage, OptionValue, Product, ProductOption, Variant
from emulator.product_set import DEFAULT_OPTION, DEFAULT_VALUE, apply_scalars
from emulator.store import Store
from emulator.variant_input import (
    BULK_CREATE_CODES,
    BULK_UPDATE_CODES,
    apply_variant_input,
    check_variant_input,
    new_variant,
)

Payload = dict[str, Any]


def _media(store: Store, media: list[dict[str, Any]] | None, now: int) -> list[MediaImage]:
    # CreateMediaInput.originalSource always creates a new file (see emulator.media).
    return [
        create_media(store, m["originalSource"], m.get("alt"))
        for m in media or []
        if m.get("originalSource")
    ]


def product_create(
    store: Store, data: dict[str, Any] | None, media: list[dict[str, Any]] | None
) -> Payload:
    data = data or {}
    errors: list[UserError] = []
    if not data.get("title"):
        errors.append(user_error(["title"], "Title can't be blank"))
    if data.get("handle") and store.handle_taken(data["handle"], None):
        errors.append(
            user_error(
                ["handle"],
                f"Handle '{data['handle']}' already in use. Please provide a new handle.",
            )
        )
    errors += validate_metafields(
        store, data.get("metafields") or [], ["metafields"], "PRODUCT", None, None
    )
    if errors:
        return {"product": None, "userErrors": errors}
    now = store.now()
    handle = data.get("handle") or store.unique_handle(data["title"])
    product = Product(store.next_id(), data["title"], handle, now, now)
    apply_scalars(store, product, data)
    options = data.get("productOptions") or [
        {"name": DEFAULT_OPTION, "values": [{"name": DEFAULT_VALUE}]}
    ]
    product.options = [
        ProductOption(
            store.next_id(),
            o["name"],
            [OptionValue(store.next_id(), v["name"]) for v in o["values"]],
        )
        for o in options[:3]
    ]
    first_values = [o.values[0].name for o in product.options]
    product.variants = [new_variant(store, product.id, first_values, now)]
    product.metafields = merge_metafields(
        store, [], data.get("metafields") or [], "PRODUCT", replace=False
    )
    product.media = _media(store, media, now)
    store.add_product(product)
    return {"product": product, "userErrors": []}


def product_update(
    store: Store, data: dict[str, Any] | None, media: list[dict[str, Any]] | None
) -> Payload:
    data = data or {}
    number = gid_number(data.get("id") or "", "Product")
    product = store.products.get(number) if number is not None else None
    if product is None:
        return {"product": None, "userErrors": [user_error(["id"], "Product does not exist")]}
    errors: list[UserError] = []
    if "title" in data and not data["title"]:
        errors.append(user_error(["title"], "Title can't be blank"))
    if data.get("handle") and store.handle_taken(data["handle"], product.id):
        errors.append(
            user_error(
                ["handle"],
                f"Handle '{data['handle']}' already in use. Please provide a new handle.",
            )
        )
    errors += validate_metafields(
        store, data.get("metafields") or [], ["metafields"], "PRODUCT", product.id, None
    )
    if errors:
        return {"product": None, "userErrors": errors}
    now = store.now()
    before = repr(product)
    apply_scalars(store, product, data)
    if data.get("metafields"):
        product.metafields = merge_metafields(
            store, product.metafields, data["metafields"], "PRODUCT", replace=False
        )
    product.media += _media(store, media, now)
    store.reindex_product(product)
    if repr(product) != before:
        store.touch(product, now)
    return {"product": product, "userErrors": []}


def product_delete(store: Store, data: dict[str, Any]) -> Payload:
    number = gid_number(data["id"], "Product")
    if number is None or store.delete_product(number) is None:
        return {
            "deletedProductId": None,
            "userErrors": [user_error(["id"], "Product does not exist")],
        }
    return {"deletedProductId": gid("Product", number), "userErrors": []}


def _product(store: Store, product_id: str) -> Product | None:
    number = gid_number(product_id, "Product")
    return store.products.get(number) if number is not None else None


def _is_standalone_default(product: Product) -> bool:
    return len(product.variants) == 1 and product.variants[0].option_values == [DEFAULT_VALUE]


def variants_bulk_create(
    store: Store, product_id: str, items: list[dict[str, Any]], strategy: str
) -> Payload:
    product = _product(store, product_id)
    if product is None:
        error = user_error(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        return {"product": None, "productVariants": None, "userErrors": [error]}
    drop_standalone = (strategy == "DEFAULT" and _is_standalone_default(product)) or (
        strategy == "REMOVE_STANDALONE_VARIANT" and len(product.variants) == 1
    )
    names = [o.name for o in product.options]
    if drop_standalone and _is_standalone_default(product):
        names = []
    errors: list[UserError] = []
    combos = (
        set()
        if drop_standalone
        else {tuple(v.lower() for v in var.option_values) for var in product.variants}
    )
    planned: list[tuple[dict[str, Any], list[tuple[str, str]]]] = []
    for index, item in enumerate(items):
        where = ["variants", str(index)]
        errors += check_variant_input(store, item, where, None, BULK_CREATE_CODES)
        values = [
            (v.get("optionName") or "", v.get("name") or "") for v in item.get("optionValues") or []
        ]
        if not values:
            errors.append(
                user_error(
                    [*where, "optionValues"],
                    "Option values can't be blank",
                    "NEED_TO_ADD_OPTION_VALUES",
                )
            )
            continue
        for option_name, _ in values:
            if option_name.lower() not in {n.lower() for n in names}:
                names.append(option_name)
        if len(names) > 3:
            errors.append(
                user_error(
                    [*where, "optionValues"],
                    "Too many options",
                    "OPTION_VALUES_FOR_NUMBER_OF_UNKNOWN_OPTIONS",
                )
            )
            continue
        lookup = {n.lower(): v for n, v in values}
        combo = tuple(lookup.get(n.lower(), "").lower() for n in names)
        if combo in combos:
            message = f"The variant '{' / '.join(v for _, v in values)}' already exists."
            errors.append(user_error(where, message, "VARIANT_ALREADY_EXISTS"))
        combos.add(combo)
        planned.append((item, values))
    if errors:
        return {"product": None, "productVariants": None, "userErrors": errors}
    now = store.now()
    if drop_standalone:
        product.variants = []
        if product.options and product.options[0].name == DEFAULT_OPTION:
            product.options = []
    created: list[Variant] = []
    for item, values in planned:
        lookup = {n.lower(): v for n, v in values}
        option_values: list[str] = []
        for name in names:
            option = next((o for o in product.options if o.name.lower() == name.lower()), None)
            if option is None:
                option = ProductOption(store.next_id(), name, [])
                product.options.append(option)
            value = lookup.get(name.lower()) or (
                option.values[0].name if option.values else DEFAULT_VALUE
            )
            if not any(v.name.lower() == value.lower() for v in option.values):
                option.values.append(OptionValue(store.next_id(), value))
            option_values.append(value)
        variant = new_variant(store, product.id, option_values, now)
        apply_variant_input(store, variant, item, now, replace_metafields=False)
        product.variants.append(variant)
        created.append(variant)
    store.reindex_product(product)
    store.touch(product, now)
    return {"product": product, "productVariants": created, "userErrors": []}


def variants_bulk_update(store: Store, product_id: str, items: list[dict[str, Any]]) -> Payload:
    product = _product(store, product_id)
    if product is None:
        error = user_error(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
        return {"product": None, "productVariants": None, "userErrors": [error]}
    by_id = {v.id: v for v in product.variants}
    errors: list[UserError] = []
    for index, item in enumerate(items):
        where = ["variants", str(index)]
        if not item.get("id"):
            errors.append(
                user_error(
                    [*where, "id"],
                    "Product variant is missing ID attribute",
                    "PRODUCT_VARIANT_ID_MISSING",
                )
            )
        elif gid_number(item["id"], "ProductVariant") not in by_id:
            errors.append(
                user_error(
                    [*where, "id"],
                    "Product variant does not exist",
                    "PRODUCT_VARIANT_DOES_NOT_EXIST",
                )
            )
        existing = by_id.get(gid_number(item.get("id") or "", "ProductVariant") or 0)
        errors += check_variant_input(
            store, item, where, existing or Variant(0, 0, 0, [], "0.00", 0, 0), BULK_UPDATE_CODES
        )
        for value in item.get("optionValues") or []:
            option = next((o for o in product.options if o.name == value.get("optionName")), None)
            if option is None:
                errors.append(
                    user_error(
                        [*where, "optionValues"], "Option does not exist", "OPTION_DOES_NOT_EXIST"
                    )
                )
    if errors:
        return {"product": None, "productVariants": None, "userErrors": errors}
    now = store.now()
    updated: list[Variant] = []
    for item in items:
        variant = by_id[gid_number(item["id"], "ProductVariant") or 0]
        for value in item.get("optionValues") or []:
            position = next(
                i for i, o in enumerate(product.options) if o.name == value["optionName"]
            )
            option = product.options[position]
            if not any(v.name == value["name"] for v in option.values):
                option.values.append(OptionValue(store.next_id(), value["name"]))
            variant.option_values[position] = value["name"]
        apply_variant_input(store, variant, item, now, replace_metafields=False)
        updated.append(variant)
    store.touch(product, now)
    return {"product": product, "productVariants": updated, "userErrors": []}


def variants_bulk_delete(store: Store, product_id: str, variant_ids: list[str]) -> Payload:
    product = _product(store, product_id)
    if product is None:
        return {
            "product": None,
            "userErrors": [
                user_error(["productId"], "Product does not exist", "PRODUCT_DOES_NOT_EXIST")
            ],
        }
    numbers = {gid_number(v, "ProductVariant") for v in variant_ids}
    owned = {v.id for v in product.variants}
    if not numbers <= owned:
        message = "At least one variant does not belong to the product"
        code = "AT_LEAST_ONE_VARIANT_DOES_NOT_BELONG_TO_THE_PRODUCT"
        return {"product": None, "userErrors": [user_error(["variantsIds"], message, code)]}
    if numbers >= owned:
        message = "Cannot delete the last variant of a product"
        return {
            "product": None,
            "userErrors": [user_error(["variantsIds"], message, "CANNOT_DELETE_LAST_VARIANT")],
        }
    product.variants = [v for v in product.variants if v.id not in numbers]
    store.reindex_product(product)
    store.touch(product, store.now())
    return {"product": product, "userErrors": []}
