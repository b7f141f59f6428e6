"""Match keys of entities and products, and the search query that finds them (pure)."""

from typing import Any

from db.enums import MatchBy
from sync.fields import DEFAULT_MAPPINGS, FieldMapping, MappingDirection
from sync.match_keys import (
    entity_keys,
    match_by_problem,
    product_keys,
    search_query,
    searchable,
)


def variant(sku: str | None, barcode: str | None = None) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/ProductVariant/{sku}",
        "sku": sku,
        "price": "1.00",
        "compareAtPrice": None,
        "barcode": barcode,
        "selectedOptions": [],
    }


def product(handle: str, *variants: dict[str, Any]) -> Any:
    return {"id": "gid://shopify/Product/1", "handle": handle, "variants": list(variants)}


def test_sku_keys_come_from_variant_sku_or_every_variant() -> None:
    assert entity_keys({"sku": " MUG-1 "}, DEFAULT_MAPPINGS, MatchBy.SKU) == {"MUG-1"}
    shirt = {
        "sku": "IGNORED",  # a non-empty variants list wins, as on push
        "variants": [
            {"sku": "SH-S", "options": {"Size": "S"}},
            {"sku": "", "options": {"Size": "M"}},
            {"options": {"Size": "L"}},
        ],
    }
    assert entity_keys(shirt, DEFAULT_MAPPINGS, MatchBy.SKU) == {"SH-S"}
    assert entity_keys({"name": "No sku"}, DEFAULT_MAPPINGS, MatchBy.SKU) == frozenset()
    assert product_keys(product("h", variant("A"), variant(None), variant(" ")), MatchBy.SKU) == {
        "A"
    }


def test_handle_and_barcode_keys() -> None:
    mappings = [
        FieldMapping("slug", "handle", MappingDirection.PULL),  # any direction identifies
        FieldMapping("ean", "variant.barcode"),
    ]
    attributes = {"slug": "store-mug", "ean": "4006381333931"}
    assert entity_keys(attributes, mappings, MatchBy.HANDLE) == {"store-mug"}
    assert entity_keys(attributes, mappings, MatchBy.BARCODE) == {"4006381333931"}
    item = product("store-mug", variant("A", "4006381333931"))
    assert product_keys(item, MatchBy.HANDLE) == {"store-mug"}
    assert product_keys(item, MatchBy.BARCODE) == {"4006381333931"}


def test_keys_compare_exactly() -> None:
    # A near match is no match: linking the wrong product would overwrite it.
    item = product("h", variant("mug-1"))
    assert not entity_keys({"sku": "MUG-1"}, DEFAULT_MAPPINGS, MatchBy.SKU) & product_keys(
        item, MatchBy.SKU
    )


def test_search_query_quotes_and_escapes_values() -> None:
    assert search_query(MatchBy.SKU, ["A-1", "B 2"]) == 'sku:"A-1" OR sku:"B 2"'
    assert search_query(MatchBy.BARCODE, ['x"y\\z']) == 'barcode:"x\\"y\\\\z"'
    assert search_query(MatchBy.HANDLE, ["mug"]) == 'handle:"mug"'


def test_match_by_needs_a_mapping_that_carries_the_key() -> None:
    assert match_by_problem(MatchBy.SKU, DEFAULT_MAPPINGS) is None
    assert match_by_problem(MatchBy.BARCODE, DEFAULT_MAPPINGS) is None  # variants carry barcodes
    problem = match_by_problem(MatchBy.HANDLE, DEFAULT_MAPPINGS)
    assert problem is not None and "handle" in problem


def test_keys_with_quotes_or_backslashes_are_not_searched() -> None:
    assert searchable("MUG-1") and searchable("a b:c")
    assert not searchable('MUG-12"') and not searchable("A\\B")
