"""What one push of an entity writes to Shopify, and with which mutation (no I/O).

productSet replaces whole lists (metafields, variants with their options, files): whatever such
a list leaves out is deleted. So a push sends productSet only the fields the channel maps, with
the ids of the variants and files it knows, and writes the rest in place:
- mapped metafields with metafieldsSet (25 per call), a mapped metafield whose attribute is absent
  or empty with metafieldsDelete; unmapped metafields are never named at all;
- the `variant.*` fields of an existing product with productVariantsBulkUpdate on the variant we
  know, so the variants a merchant added in Shopify stay.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync.field_values import encode_metafield
from sync.fields import (
    VARIANT_FIELDS,
    FieldMapping,
    metafield_ref,
    metafield_type_of,
)
from sync.identity import IDENTITY_NAMESPACE
from sync.mapping import product_set_input, push_values, pushing_mappings
from sync.remote_ids import MediaSource, VariantKey

# productVariantsBulkUpdate has no top-level `sku`; a variant's SKU belongs to its inventory item
# (ProductVariantsBulkInput docs, 2024-04+).
_BULK_VARIANT_KEYS = {"price": "price", "compareAtPrice": "compareAtPrice", "barcode": "barcode"}


@dataclass
class ProductWrite:
    input: dict[str, Any]  # ProductSetInput
    # ProductVariantsBulkInput fields (no id yet) for the variant.* fields of an update
    variant_update: dict[str, Any] | None = None
    metafields: list[dict[str, str]] = field(default_factory=list)  # {namespace key type value}
    cleared: list[tuple[str, str]] = field(default_factory=list)  # (namespace, key) to delete
    # the sources of the files sent, in order (None when images are not written)
    images: list[str] | None = None

    @property
    def variant_sku(self) -> str | None:
        """The SKU the variant update sets, which helps name the variant it goes to."""
        return ((self.variant_update or {}).get("inventoryItem") or {}).get("sku")

    @property
    def needs_more(self) -> bool:
        """Writes beyond productSet: the product must be read again after them."""
        return bool(self.variant_update or self.metafields or self.cleared)


def _metafield_writes(
    attributes: Mapping[str, Any], mappings: Sequence[FieldMapping]
) -> tuple[list[dict[str, str]], list[tuple[str, str]]]:
    writes: list[dict[str, str]] = []
    cleared: list[tuple[str, str]] = []
    for mapping in mappings:
        ref = metafield_ref(mapping.field)
        if ref is None or not mapping.pushes or ref[0].lower() == IDENTITY_NAMESPACE:
            continue
        metafield_type = metafield_type_of(mapping)
        value = attributes.get(mapping.attribute)
        # raises MappingError for a value of the wrong type (push_values checked it already)
        encoded = encode_metafield(value, metafield_type) if value is not None else None
        if encoded is None:
            cleared.append(ref)
        else:
            namespace, key = ref
            writes.append(
                {"namespace": namespace, "key": key, "type": metafield_type, "value": encoded}
            )
    return writes, cleared


def _variant_update(values: Mapping[str, Any]) -> Any:
    if values.get("variants"):
        return None  # a multi-variant entity: its variants travel in productSet, with ids
    update: dict[str, Any] = {}
    for field_name, key in VARIANT_FIELDS.items():
        if field_name not in values:
            continue
        if key == "sku":
            update.setdefault("inventoryItem", {})["sku"] = values[field_name]
        else:
            update[_BULK_VARIANT_KEYS[key]] = values[field_name]
    return update or None


def plan_write(
    attributes: Mapping[str, Any],
    mappings: Sequence[FieldMapping],
    *,
    entity_id: str,
    create: bool,
    known_variants: Sequence[VariantKey] = (),
    known_media: Sequence[MediaSource] = (),
    values: Mapping[str, Any] | None = None,
) -> ProductWrite:
    """Everything one push of the entity writes; raises MappingError for a value Shopify would
    reject, before anything is sent. `values`: the strict push values, when the caller has
    them already (the checksum may have made them)."""
    # Computed once: productSet's input, the variant update and the image list all read it.
    if values is None:
        values = push_values(attributes, pushing_mappings(mappings), strict=True)
    payload = product_set_input(
        attributes,
        mappings,
        include_identity=create,
        entity_id=entity_id,
        known_variants=known_variants,
        known_media=known_media,
        values=values,
    )
    metafields, cleared = _metafield_writes(attributes, mappings)
    images = values.get("images")
    return ProductWrite(
        input=payload,
        variant_update=None if create else _variant_update(values),
        metafields=metafields,
        # a new product holds no metafield to delete
        cleared=[] if create else cleared,
        images=None if images is None else [url for url, _ in images],
    )
