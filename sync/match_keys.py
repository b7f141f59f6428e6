"""Match keys: the values that link a store's existing product to a PIM entity (no I/O).

A channel's `matchBy` names one key: SKU (any variant's SKU), HANDLE (the product handle) or
BARCODE (any variant's barcode). An entity and a product match when their key sets share a value.
Keys are compared exactly after trimming: a near match (other case, inner spaces) is no match,
because linking the wrong product would overwrite a merchant's product with another's data.
"""

from collections.abc import Mapping, Sequence
from typing import Any

from db.enums import MatchBy
from sync.fields import FieldMapping
from sync.mapping import push_values
from sync.product import ProductRecord

# The mapped fields an entity's key comes from, per matchBy.
MATCH_FIELDS: dict[MatchBy, tuple[str, ...]] = {
    MatchBy.SKU: ("variant.sku", "variants"),
    MatchBy.HANDLE: ("handle",),
    MatchBy.BARCODE: ("variant.barcode", "variants"),
}
_VARIANT_KEY = {MatchBy.SKU: "sku", MatchBy.BARCODE: "barcode"}
# Shopify's search field for each key (https://shopify.dev/docs/api/admin-graphql/latest/queries/products:
# `sku`, `handle` and `barcode` filters of the products query).
SEARCH_FIELD = {MatchBy.SKU: "sku", MatchBy.HANDLE: "handle", MatchBy.BARCODE: "barcode"}


def _clean(values: Sequence[Any]) -> frozenset[str]:
    return frozenset(text for value in values if isinstance(value, str) if (text := value.strip()))


def entity_keys(
    attributes: Mapping[str, Any], mappings: Sequence[FieldMapping], match_by: MatchBy
) -> frozenset[str]:
    """The entity's keys, read through the channel's mappings (whatever their direction)."""
    wanted = [m for m in mappings if m.field in MATCH_FIELDS[match_by]]
    values = push_values(attributes, wanted, strict=False)
    if match_by is MatchBy.HANDLE:
        return _clean([values.get("handle")])
    variant_key = _VARIANT_KEY[match_by]
    if values.get("variants"):
        return _clean([variant.get(variant_key) for variant in values["variants"]])
    return _clean([values.get(f"variant.{variant_key}")])


def product_keys(product: ProductRecord, match_by: MatchBy) -> frozenset[str]:
    if match_by is MatchBy.HANDLE:
        return _clean([product["handle"]])
    variant_key = _VARIANT_KEY[match_by]
    return _clean([variant.get(variant_key) for variant in product["variants"]])


def searchable(key: str) -> bool:
    """A key Shopify's search can be trusted to find: quotes and backslashes inside a quoted
    value are where search implementations differ, so such keys are looked up by reading the
    store instead (a missed match would mean a duplicate product)."""
    return '"' not in key and "\\" not in key


def search_query(match_by: MatchBy, keys: Sequence[str]) -> str:
    """`sku:"A-1" OR sku:"B 2"`: one products(query:) for a batch of keys. Values are quoted
    with `"` and `\\` escaped (https://shopify.dev/docs/api/usage/search-syntax)."""
    field = SEARCH_FIELD[match_by]
    terms = []
    for key in keys:
        escaped = key.replace("\\", "\\\\").replace('"', '\\"')
        terms.append(f'{field}:"{escaped}"')
    return " OR ".join(terms)


def match_by_problem(match_by: MatchBy, mappings: Sequence[FieldMapping]) -> str | None:
    """Why `match_by` cannot find keys with these mappings (None when it can)."""
    fields = MATCH_FIELDS[match_by]
    if any(mapping.field in fields for mapping in mappings):
        return None
    return (
        f"matchBy {match_by.value} reads the key from a mapping to "
        + " or ".join(fields)
        + "; the channel's fieldMappings have none"
    )
