"""Entity attributes <-> Shopify product, through a channel's field mappings (no I/O).

This module builds what a push sends; sync.pull_values reads a product back into attributes.

Choices (docs/sync-semantics.md explains them):
- A mapped attribute that is absent (or None) is not sent, so Shopify keeps its value. An empty
  value ("" or []) is sent and clears the field. Metafields are written apart from productSet
  (sync.write_plan): a mapped metafield whose attribute is absent or empty is deleted, and
  metafields the channel does not map are never sent, so productSet cannot delete them.
- The identity metafield `sigma.entity_id` is sent only when a product is created
  (`include_identity`): productSet's customId upsert requires it in a `metafields` list.
- Variants of an update carry the ids the mapping knows (matched by option combination, then
  SKU); the `variant.*` fields of an update are not sent in productSet at all (a `variants` list
  would delete the variants the merchant added) but with productVariantsBulkUpdate.
- Images are `files`: `{id}` for an image the mapping knows, `originalSource` only for a new one.
  An image is a URL, or `{url, alt}` to set its alt text.
- Money is a decimal string with at least two decimals: "10" -> "10.00", "1.5" -> "1.50", "1.125"
  stays. Status is upper-case. Tags are stripped, empty ones dropped, de-duplicated; pull returns
  them sorted (Shopify's order carries no meaning).
- Pull returns every PULL/BOTH-mapped attribute; None means Shopify holds no value (missing
  metafield, null SEO field, the variant.* attributes of a multi-variant product). For a product
  with only the default variant, a mapped `variants` attribute comes back as []. Images come back
  as their PIM sources (through the mapping), never as the CDN URLs of images we uploaded.
- push_values/product_values expose the Shopify-side values of the mapped fields, shared by
  productSet and the checksum, so both sides always agree on what a mapping covers.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from sync.field_values import (
    MappingError,
    as_text,
    encode_metafield,
    money_or_raw,
    tags_list,
)
from sync.fields import (
    MONEY_FIELDS,
    SCALAR_FIELDS,
    SEO_FIELDS,
    VARIANT_FIELDS,
    FieldMapping,
    MappingDirection,
    metafield_ref,
    metafield_type_of,
)
from sync.identity import IDENTITY_NAMESPACE, identity_metafield
from sync.remote_ids import (
    MediaSource,
    VariantKey,
    match_variant_ids,
)
from sync.variant_values import variant_inputs, variant_values

DEFAULT_OPTION_NAME = "Title"
DEFAULT_OPTION_VALUE = "Default Title"


PRODUCT_STATUSES = frozenset({"ACTIVE", "DRAFT", "ARCHIVED"})


def _metafield_or_raw(value: Any, mapping: FieldMapping, strict: bool) -> str | None:
    try:
        return encode_metafield(value, metafield_type_of(mapping))
    except MappingError as error:
        if strict:
            raise MappingError(f"{mapping.attribute} ({mapping.field}): {error}") from None
        return as_text(value)


def _image_values(value: Any) -> list[tuple[str, str | None]]:
    """(url, alt) per image; an image is a URL or `{url, alt}` (`src` is read as `url`)."""
    if type(value) is list:
        items = value  # the usual JSON shape, without the slow Mapping ABC check
    else:
        items = [value] if isinstance(value, str | Mapping) else value
        if not isinstance(items, list | tuple):
            items = [items]
    images: list[tuple[str, str | None]] = []
    for item in items:
        if type(item) is str:
            url, alt_text = item.strip(), None
        elif isinstance(item, Mapping):
            url = as_text(item.get("url") or item.get("src") or "").strip()
            alt = item.get("alt")
            alt_text = as_text(alt) if alt not in (None, "") else None
        else:
            url, alt_text = as_text(item).strip(), None
        if url:
            images.append((url, alt_text))
    return images


# What push_values does with each standard field; any other field is a metafield.
_TEXT, _MONEY, _STATUS, _TAGS, _IMAGES, _VARIANTS = range(6)
_FIELD_KINDS: dict[str, int] = {
    **dict.fromkeys(SCALAR_FIELDS | SEO_FIELDS.keys(), _TEXT),
    "variant.sku": _TEXT,
    "variant.barcode": _TEXT,
    **dict.fromkeys(MONEY_FIELDS, _MONEY),
    "status": _STATUS,
    "tags": _TAGS,
    "images": _IMAGES,
    "variants": _VARIANTS,
}


_Step = tuple[str, str, int | None, FieldMapping]
# Per tuple of mappings (immutable, as a run's are): what push_values does for each, and the
# PUSH/BOTH ones, worked out once instead of for every entity (a run maps each entity twice).
_PLANS: dict[int, tuple[tuple[FieldMapping, ...], tuple[_Step, ...]]] = {}
_PUSHING: dict[int, tuple[tuple[FieldMapping, ...], tuple[FieldMapping, ...]]] = {}
_CACHED = 64  # distinct mapping tuples kept; a process serves a few channels' configurations


def _plan(mappings: Sequence[FieldMapping]) -> Sequence[_Step]:
    cached = _PLANS.get(id(mappings))
    if cached is not None and cached[0] is mappings:
        return cached[1]
    plan = tuple((m.attribute, m.field, _FIELD_KINDS.get(m.field), m) for m in mappings)
    if type(mappings) is tuple:
        if len(_PLANS) >= _CACHED:
            _PLANS.clear()
        _PLANS[id(mappings)] = (mappings, plan)
    return plan


def pushing_mappings(mappings: Sequence[FieldMapping]) -> Sequence[FieldMapping]:
    """The PUSH and BOTH mappings."""
    cached = _PUSHING.get(id(mappings))
    if cached is not None and cached[0] is mappings:
        return cached[1]
    pushing = tuple(m for m in mappings if m.direction is not MappingDirection.PULL)
    if type(mappings) is tuple:
        if len(_PUSHING) >= _CACHED:
            _PUSHING.clear()
        _PUSHING[id(mappings)] = (mappings, pushing)
    return pushing


def push_values(
    attributes: Mapping[str, Any], mappings: Sequence[FieldMapping], *, strict: bool = True
) -> dict[str, Any]:
    """Field -> Shopify-side value for each mapping whose attribute has a value.

    With `strict`, values Shopify would reject raise MappingError; otherwise they pass through as
    text (the checksum must never fail). A non-empty `variants` value drops the variant.* fields.
    """
    values: dict[str, Any] = {}
    for attribute, field, kind, mapping in _plan(mappings):
        value = attributes.get(attribute)
        if value is None:
            continue
        if kind == _TEXT:
            values[field] = value if type(value) is str else as_text(value)
        elif kind == _MONEY:
            values[field] = money_or_raw(value, attribute, strict)
        elif kind == _STATUS:
            status = as_text(value).strip().upper()
            if strict and status not in PRODUCT_STATUSES:
                # An unknown enum value would fail Shopify's variable validation for the
                # whole request; it is this entity's problem, not the run's.
                raise MappingError(
                    f"attribute '{attribute}': status {value!r} is not one of "
                    "ACTIVE, DRAFT, ARCHIVED"
                )
            values[field] = status
        elif kind == _TAGS:
            values[field] = tags_list(value)
        elif kind == _IMAGES:
            values[field] = _image_values(value)
        elif kind == _VARIANTS:
            values[field] = variant_values(value, attribute, strict)
        else:
            ref = metafield_ref(field)
            if ref is None or ref[0].lower() == IDENTITY_NAMESPACE:
                continue  # rejected by validation; never let a mapping touch our identity
            encoded = _metafield_or_raw(value, mapping, strict)
            if encoded is not None:
                values[field] = (metafield_type_of(mapping), encoded)
    if values.get("variants"):
        for field in VARIANT_FIELDS:
            values.pop(field, None)
    else:
        values.pop("variants", None)
    return values


def _files(
    images: list[tuple[str, str | None]], known_media: Sequence[MediaSource]
) -> list[dict[str, Any]]:
    # `id` keeps a file; `originalSource` uploads a new one every time (FileSetInput docs).
    by_source: dict[str, str] = {}
    for item in known_media:
        by_source.setdefault(item["source"], item["id"])
    files: list[dict[str, Any]] = []
    used: set[str] = set()
    for url, alt in images:
        media_id = by_source.get(url)
        file: dict[str, Any]
        if media_id is not None and media_id not in used:
            used.add(media_id)
            file = {"id": media_id}
        else:
            file = {"originalSource": url, "contentType": "IMAGE"}
        if alt is not None:
            file["alt"] = alt
        files.append(file)
    return files


def product_set_input(
    attributes: Mapping[str, Any],
    mappings: Sequence[FieldMapping],
    *,
    include_identity: bool,
    entity_id: str,
    known_variants: Sequence[VariantKey] = (),
    known_media: Sequence[MediaSource] = (),
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Shopify's ProductSetInput for an entity, from its PUSH/BOTH mappings; raises MappingError
    for values Shopify would reject (bad money, more than 3 options, duplicate variants).
    `values`: the strict push_values of those mappings, when the caller has them already.

    `include_identity` marks a create: the input then carries the identity metafield and the
    `variant.*` fields as the product's one variant. An update carries neither; the caller
    writes metafields and `variant.*` fields in place (sync.write_plan).
    """
    create = include_identity
    if values is None:
        values = push_values(attributes, pushing_mappings(mappings), strict=True)
    result: dict[str, Any] = {}
    variant: dict[str, Any] = {}
    for field, value in values.items():
        if field in SCALAR_FIELDS or field in ("status", "tags"):
            result[field] = value
        elif field in SEO_FIELDS:
            result.setdefault("seo", {})[SEO_FIELDS[field]] = value
        elif field in VARIANT_FIELDS:
            variant[VARIANT_FIELDS[field]] = value
        elif field == "images":
            result["files"] = _files(value, known_media)
        elif field == "variants":
            result["productOptions"], result["variants"] = variant_inputs(value)
            if known_variants:  # a create knows none: nothing to match
                ids = match_variant_ids(value, known_variants)
                for item, variant_id in zip(result["variants"], ids, strict=True):
                    if variant_id is not None:
                        item["id"] = variant_id
    if variant and create:
        result["productOptions"] = [
            {
                "name": DEFAULT_OPTION_NAME,
                "position": 1,
                "values": [{"name": DEFAULT_OPTION_VALUE}],
            }
        ]
        variant["optionValues"] = [
            {"optionName": DEFAULT_OPTION_NAME, "name": DEFAULT_OPTION_VALUE}
        ]
        result["variants"] = [variant]
    if create:
        # customId upserts need the identity value in `metafields` when that list is sent
        # (productSet docs); on a new product the list replaces nothing.
        result["metafields"] = [identity_metafield(entity_id)]
    elif "handle" in result:
        # The old URL keeps working after a handle change (ProductSetInput.redirectNewHandle).
        result["redirectNewHandle"] = True
    return result
