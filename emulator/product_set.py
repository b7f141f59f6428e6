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
from emulator.media import create_media
from emulator.metafields import UserError, merge_metafields
from emulator.models import MediaImage, OptionValue, Product, ProductOption, Variant
from emulator.product_set_checks import Target, resolve_target, validate_set_input
from emulator.store import Store
from emulator.variant_input import apply_variant_input, new_variant

DEFAULT_OPTION = "Title"
DEFAULT_VALUE = "Default Title"


@dataclass
class SetResult:
    product: Product | None
    user_errors: list[UserError]


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


def _new_product(store: Store, data: dict[str, Any], target: Target, now: int) -> Product:
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
    target = resolve_target(store, identifier, data, errors)
    if errors:
        return SetResult(None, errors)
    options = validate_set_input(store, target, data, errors)
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
        store.touch(product, now)
    return SetResult(product, [])
