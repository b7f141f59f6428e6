"""Shopify product -> the mapped values and entity attributes: the pull side of sync.mapping.

`product_values` gives the same shapes as `sync.mapping.push_values`, so the checksum of an entity
and of a product agree when the two sides do.
"""

from collections.abc import Sequence
from typing import Any

from sync.field_values import (
    decode_metafield,
    money,
    tags_list,
)
from sync.fields import (
    MONEY_FIELDS,
    SCALAR_FIELDS,
    SEO_FIELDS,
    VARIANT_FIELDS,
    FieldMapping,
    metafield_ref,
    metafield_type_of,
)
from sync.identity import IDENTITY_KEY, IDENTITY_NAMESPACE
from sync.mapping import DEFAULT_OPTION_NAME, DEFAULT_OPTION_VALUE
from sync.product import ProductRecord, VariantRecord
from sync.remote_ids import (
    MediaSource,
    image_sources,
    single_variant_id,
    variant_keys,
)


def is_default_only(product: ProductRecord) -> bool:
    """True for a product whose only variant carries Shopify's default `Title` option."""
    variants = product["variants"]
    if len(variants) != 1:
        return False
    selected = variants[0]["selectedOptions"]
    return len(selected) == 1 and (selected[0]["name"], selected[0]["value"]) == (
        DEFAULT_OPTION_NAME,
        DEFAULT_OPTION_VALUE,
    )


def _own_variant(product: ProductRecord) -> VariantRecord | None:
    """The variant a channel's `variant.*` fields read: the one a push writes them to
    (sync.remote_ids.single_variant_id), so a variant the merchant added beside it is neither
    read into the entity nor a reason to see a change."""
    own_id = single_variant_id(variant_keys(product))
    return next((v for v in product["variants"] if v["id"] == own_id), None)


def _variant_attribute(variant: VariantRecord) -> dict[str, Any]:
    result: dict[str, Any] = {
        "options": {option["name"]: option["value"] for option in variant["selectedOptions"]},
        "price": money(variant["price"]) or variant["price"],
    }
    if variant["sku"]:
        result["sku"] = variant["sku"]
    compare_at = variant["compareAtPrice"]
    if compare_at:
        result["compareAtPrice"] = money(compare_at) or compare_at
    if variant["barcode"]:
        result["barcode"] = variant["barcode"]
    return result


def product_values(
    product: ProductRecord,
    mappings: Sequence[FieldMapping],
    sources: Sequence[MediaSource] | None = None,
) -> dict[str, Any]:
    """Field -> the product's value for each mapping, in the shapes push_values produces
    (None: no value; `variants` is [] for a default-only product; variant.* are the values of
    the product's own variant (_own_variant), None when `variants` lists its real variants).
    Images are read through `sources` (the mapping's media id -> PIM source)."""
    default_only = is_default_only(product)
    # With `variants` mapped, a product's real variants are that list's, not the variant.* ones.
    lists_variants = any(mapping.field == "variants" for mapping in mappings)
    reads_own = any(mapping.field in VARIANT_FIELDS for mapping in mappings)
    own = _own_variant(product) if reads_own and (default_only or not lists_variants) else None
    values: dict[str, Any] = {}
    for mapping in mappings:
        field = mapping.field
        if field == "images":
            values[field] = image_sources(product, sources)
        elif field in SCALAR_FIELDS or field in ("status", "tags"):
            value: Any = product[field]  # type: ignore[literal-required]
            if field == "status":
                value = value.upper()
            elif field == "tags":
                value = tags_list(value)
            values[field] = value
        elif field in SEO_FIELDS:
            seo = product.get("seo") or {}
            values[field] = seo.get(SEO_FIELDS[field])
        elif field in VARIANT_FIELDS:
            raw = own[VARIANT_FIELDS[field]] if own is not None else None  # type: ignore[literal-required]
            values[field] = (money(raw) or raw) if field in MONEY_FIELDS and raw else raw
        elif field == "variants":
            values[field] = (
                []
                if default_only
                else [_variant_attribute(variant) for variant in product["variants"]]
            )
        else:
            ref = metafield_ref(field)
            found = None
            if ref is not None and ref[0].lower() != IDENTITY_NAMESPACE:
                for metafield in product["metafields"]:
                    if (metafield["namespace"], metafield["key"]) == ref:
                        found = (metafield_type_of(mapping), metafield["value"])
                        break
            values[field] = found
    return values


def attributes_from_product(
    product: ProductRecord,
    mappings: Sequence[FieldMapping],
    sources: Sequence[MediaSource] | None = None,
) -> dict[str, Any]:
    """The entity attributes of a product for its PULL/BOTH mappings (only those attributes)."""
    pulling = [m for m in mappings if m.pulls]
    values = product_values(product, pulling, sources)
    attributes: dict[str, Any] = {}
    for mapping in pulling:
        value = values.get(mapping.field)
        if mapping.field == "tags" and value is not None:
            value = sorted(value)
        elif mapping.field == "images" and value is not None:
            value = [url if alt is None else {"url": url, "alt": alt} for url, alt in value]
        elif isinstance(value, tuple):
            value = decode_metafield(value[1], metafield_type_of(mapping))
        attributes[mapping.attribute] = value
    return attributes


def entity_id_from_product(product: ProductRecord) -> str | None:
    """The Sigma entity id stored in the product's `sigma.entity_id` metafield."""
    for metafield in product["metafields"]:
        if metafield["namespace"] == IDENTITY_NAMESPACE and metafield["key"] == IDENTITY_KEY:
            return metafield["value"] or None
    return None
