"""Field mappings: which entity attribute feeds which Shopify product field.

The vocabulary and the defaults are part of the public API (README.md, docs/sync-semantics.md);
their validation is sync/field_rules.py.
"""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class MappingDirection(StrEnum):
    BOTH = "BOTH"
    PUSH = "PUSH"
    PULL = "PULL"


@dataclass(frozen=True, slots=True)
class FieldMapping:
    attribute: str
    field: str
    direction: MappingDirection = MappingDirection.BOTH
    metafield_type: str | None = None

    @property
    def pushes(self) -> bool:
        return self.direction is not MappingDirection.PULL

    @property
    def pulls(self) -> bool:
        return self.direction is not MappingDirection.PUSH


SCALAR_FIELDS = frozenset({"title", "descriptionHtml", "vendor", "productType", "handle"})
SEO_FIELDS = {"seo.title": "title", "seo.description": "description"}
VARIANT_FIELDS = {
    "variant.sku": "sku",
    "variant.price": "price",
    "variant.compareAtPrice": "compareAtPrice",
    "variant.barcode": "barcode",
}
MONEY_FIELDS = frozenset({"variant.price", "variant.compareAtPrice"})
STANDARD_FIELDS = (
    SCALAR_FIELDS
    | {"status", "tags", "variants", "images"}
    | SEO_FIELDS.keys()
    | VARIANT_FIELDS.keys()
)
METAFIELD_PREFIX = "metafield."

# Our identity metafield (sync.identity): productSet upserts on it, so no mapping may write
# that namespace.

DEFAULT_METAFIELD_TYPE = "single_line_text_field"
TEXT_METAFIELD_TYPES = frozenset(
    {"single_line_text_field", "multi_line_text_field", "url", "color", "date", "date_time"}
)
# Values of these types are JSON documents (Shopify stores them as JSON text).
JSON_METAFIELD_TYPES = frozenset(
    {"json", "rich_text_field", "list.single_line_text_field", "list.number_integer", "list.url"}
)
METAFIELD_TYPES = (
    TEXT_METAFIELD_TYPES | JSON_METAFIELD_TYPES | {"number_integer", "number_decimal", "boolean"}
)

DEFAULT_MAPPINGS: tuple[FieldMapping, ...] = (
    FieldMapping("name", "title"),
    FieldMapping("description", "descriptionHtml"),
    FieldMapping("vendor", "vendor"),
    FieldMapping("productType", "productType"),
    FieldMapping("tags", "tags"),
    FieldMapping("status", "status"),
    FieldMapping("sku", "variant.sku"),
    FieldMapping("price", "variant.price"),
    FieldMapping("variants", "variants"),
    FieldMapping("images", "images"),
)


def metafield_ref(field: str) -> tuple[str, str] | None:
    """(namespace, key) of a `metafield.<namespace>.<key>` field, None for any other field."""
    if not field.startswith(METAFIELD_PREFIX):
        return None
    parts = field[len(METAFIELD_PREFIX) :].split(".")
    if len(parts) != 2:
        return None
    return parts[0], parts[1]


def metafield_type_of(mapping: FieldMapping) -> str:
    return mapping.metafield_type or DEFAULT_METAFIELD_TYPE


def mappings_or_default(mappings: Sequence[FieldMapping] | None) -> Sequence[FieldMapping]:
    """A channel without mappings uses DEFAULT_MAPPINGS. A tuple: the mapping functions work
    out what to do with an immutable sequence once (sync.mapping)."""
    return tuple(mappings) if mappings else DEFAULT_MAPPINGS


def field_mappings_to_json(mappings: Collection[FieldMapping]) -> list[dict[str, Any]]:
    """The JSON shape stored on a channel and returned by the API (inverse of the parser)."""
    return [
        {
            "attribute": mapping.attribute,
            "field": mapping.field,
            "direction": mapping.direction.value,
            "metafieldType": mapping.metafield_type,
        }
        for mapping in mappings
    ]
