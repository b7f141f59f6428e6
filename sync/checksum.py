"""Change detection: one checksum for an entity and for a Shopify product that agree.

The payload is keyed by Shopify field and holds the Shopify-side values the mappings cover, taken
through the same functions as productSet (entity side) and pull (product side). Normalisation
removes only what carries no meaning on Shopify:
- an absent value and an empty one ("", [], None) are the same (Shopify has no "unset" title, and
  a missing metafield is an empty one), so such fields are left out;
- money is a canonical decimal string ("10" == "10.00"), status is upper-case, metafield values
  are re-encoded for their type (JSON re-serialised with sorted keys, "1.50" == "1.5");
- tags are sorted and de-duplicated (Shopify keeps no tag order);
- images compare by source: a product's media are read through the mapping's media id -> PIM
  source record, so neither a CDN URL, a `_<uuid>` rename on a name collision nor a medium still
  PROCESSING (no URL yet) makes a pushed product look changed. Alt text counts when set. Order
  is kept (it is the gallery order);
- variants keep their order (Shopify's positions), and options keep theirs (option order is
  visible to shoppers); the order of an option's values is derived from the variants, so it is
  not compared on its own.
Text is not trimmed or case-folded: such a difference is a real edit.

By default every mapping counts, whatever its direction, so a checksum means "both sides hold the
same values for everything the channel maps"; pass `directions` to restrict it (e.g. only the
PULL/BOTH mappings when comparing a freshly pulled entity).
"""

import contextlib
import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import orjson

from sync.field_values import MappingError, decode_metafield, encode_metafield
from sync.fields import FieldMapping, MappingDirection
from sync.mapping import push_values, pushing_mappings
from sync.product import ProductRecord
from sync.pull_values import product_values
from sync.remote_ids import MediaSource

# Part of every payload, so that changing the normalisation invalidates stored checksums at once.
CHECKSUM_VERSION = 2


def _selected(
    mappings: Sequence[FieldMapping], directions: Collection[MappingDirection] | None
) -> Sequence[FieldMapping]:
    if directions is None:
        return mappings
    return [mapping for mapping in mappings if mapping.direction in directions]


def _canonical_variants(variants: list[dict[str, Any]], names: list[str]) -> dict[str, Any]:
    items = []
    for variant in variants:
        item: dict[str, Any] = {
            "options": [variant["options"].get(name) for name in names],
        }
        # money is already canonical: push_values and product_values both normalise it
        for key in ("sku", "barcode", "price", "compareAtPrice"):
            if variant.get(key):
                item[key] = variant[key]
        items.append(item)
    return {"options": names, "variants": items}


def _option_order(variants: list[dict[str, Any]]) -> list[str]:
    """The option names in first-seen order (sync.variant_values.option_names without values)."""
    names: dict[str, None] = {}
    for variant in variants:
        names.update(dict.fromkeys(variant["options"]))
    return list(names)


def _canonical(values: Mapping[str, Any], option_order: list[str] | None) -> dict[str, Any]:
    payload: dict[str, Any] = {"v": CHECKSUM_VERSION}
    for field, value in values.items():
        if value is None or value == "" or value == []:
            continue
        if field == "tags":
            value = sorted(set(value))
        elif field == "images":
            value = [url if alt is None else [url, alt] for url, alt in value]
        elif field == "variants":
            names = option_order if option_order is not None else _option_order(value)
            value = _canonical_variants(value, names)
        elif isinstance(value, tuple):
            metafield_type, text = value
            # A value not valid for its type is compared as stored.
            with contextlib.suppress(ValueError):
                text = encode_metafield(decode_metafield(text, metafield_type), metafield_type)
            if not text:
                continue
            value = text
        payload[field] = value
    return payload


def entity_payload(
    attributes: Mapping[str, Any],
    mappings: Sequence[FieldMapping],
    *,
    directions: Collection[MappingDirection] | None = None,
) -> dict[str, Any]:
    """The canonical payload of an entity: what its push would set on Shopify."""
    values = push_values(attributes, _selected(mappings, directions), strict=False)
    return _canonical(values, None)


def product_payload(
    product: ProductRecord,
    mappings: Sequence[FieldMapping],
    *,
    directions: Collection[MappingDirection] | None = None,
    sources: Sequence[MediaSource] | None = None,
) -> dict[str, Any]:
    """The canonical payload of a Shopify product for the same mappings; `sources` is the
    mapping's media id -> PIM source record."""
    values = product_values(product, _selected(mappings, directions), sources)
    return _canonical(values, [option["name"] for option in product["options"]])


def payload_checksum(payload: Mapping[str, Any]) -> str:
    """SHA-256 hex of the canonical JSON of a payload.

    The canonical JSON is `json.dumps(sort_keys=True, separators=(",", ":"),
    ensure_ascii=False)` in UTF-8. orjson writes the same bytes for what a payload holds (text,
    small integers, None, lists, dicts with text keys: the mapping turns every value into text),
    about ten times faster; anything it refuses takes the json route.
    """
    try:
        data = orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data = text.encode()
    return hashlib.sha256(data).hexdigest()


def entity_checksum(
    attributes: Mapping[str, Any],
    mappings: Sequence[FieldMapping],
    *,
    directions: Collection[MappingDirection] | None = None,
) -> str:
    return payload_checksum(entity_payload(attributes, mappings, directions=directions))


def push_values_and_checksum(
    attributes: Mapping[str, Any], mappings: Sequence[FieldMapping]
) -> tuple[dict[str, Any] | None, str]:
    """The entity's checksum and, when they come on the way, the strict push values that its
    productSet input is built from (None otherwise).

    With every mapping pushing (the default mappings do), the strict values are the checksum's
    own values: strict mode only refuses what the lenient one passes through as text. A push
    then maps each changed entity once instead of once for the checksum and once for the write.
    """
    pushing = pushing_mappings(mappings)
    if len(pushing) == len(mappings):
        try:
            values = push_values(attributes, pushing, strict=True)
        except MappingError:
            pass  # the write will refuse it with this error; the checksum takes the text
        else:
            return values, payload_checksum(_canonical(values, None))
    return None, entity_checksum(attributes, mappings)


def product_checksum(
    product: ProductRecord,
    mappings: Sequence[FieldMapping],
    *,
    directions: Collection[MappingDirection] | None = None,
    sources: Sequence[MediaSource] | None = None,
) -> str:
    return payload_checksum(
        product_payload(product, mappings, directions=directions, sources=sources)
    )
