"""What a pull makes of a Shopify product: the entity's attributes and its identity, and the
round trip (push then pull gives the attributes back, whatever spelling the PIM used)."""

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.fields import DEFAULT_MAPPINGS, FieldMapping
from sync.pull_values import attributes_from_product, entity_id_from_product
from tests.helpers.fake_shopify import fake_product
from tests.helpers.mapping_samples import IDENTITY, RICH, entities, write

# -- reverse mapping ----------------------------------------------------------------------------


def test_pull_of_a_default_variant_product() -> None:
    product = fake_product(
        {
            "title": "Shirt",
            "status": "ACTIVE",
            "tags": ["b", "a"],
            "variants": [
                {"sku": "S1", "price": "9.9",
                 "optionValues": [{"optionName": "Title", "name": "Default Title"}]}
            ],
            "metafields": [IDENTITY],
            "files": [{"originalSource": "https://x/1.png", "contentType": "IMAGE"}],
        }
    )  # fmt: skip
    assert attributes_from_product(product, DEFAULT_MAPPINGS) == {
        "name": "Shirt",
        "description": "",
        "vendor": "",
        "productType": "",
        "tags": ["a", "b"],
        "status": "ACTIVE",
        "sku": "S1",
        "price": "9.90",
        "variants": [],
        "images": ["https://x/1.png"],
    }
    assert entity_id_from_product(product) == "e1"
    product["tags"] = ["b", " a", "a", ""]
    assert attributes_from_product(product, DEFAULT_MAPPINGS)["tags"] == ["a", "b"]


def test_pull_of_a_multi_variant_product_clears_the_single_variant_attributes() -> None:
    product = fake_product(
        {
            "productOptions": [{"name": "Size", "values": [{"name": "S"}, {"name": "M"}]}],
            "variants": [
                {"sku": "A", "price": "1.00",
                 "optionValues": [{"optionName": "Size", "name": "S"}]},
                {"price": "2.00", "barcode": "99", "compareAtPrice": "3.5",
                 "optionValues": [{"optionName": "Size", "name": "M"}]},
            ],
        }
    )  # fmt: skip
    pulled = attributes_from_product(product, DEFAULT_MAPPINGS)
    assert pulled["sku"] is None and pulled["price"] is None
    assert pulled["variants"] == [
        {"sku": "A", "price": "1.00", "options": {"Size": "S"}},
        {"price": "2.00", "compareAtPrice": "3.50", "barcode": "99", "options": {"Size": "M"}},
    ]
    assert entity_id_from_product(product) is None


def test_missing_metafield_pulls_as_none_and_identity_is_never_an_attribute() -> None:
    product = fake_product({"metafields": [IDENTITY]})
    mappings = [FieldMapping("material", "metafield.custom.material")]
    assert attributes_from_product(product, mappings) == {"material": None}


# -- push then pull gives the attributes back ---------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(entities())
def test_push_then_pull_gives_the_attributes_back(attributes: dict[str, Any]) -> None:
    pushed = write(attributes, include_identity=True)
    product = fake_product(pushed)
    assert attributes_from_product(product, RICH) == attributes
    assert entity_id_from_product(product) == "e1"


@settings(max_examples=50, deadline=None)
@given(entities(), st.data())
def test_non_canonical_spellings_pull_back_canonical(
    attributes: dict[str, Any], data: st.DataObject
) -> None:
    noisy = dict(attributes)
    noisy["status"] = attributes["status"].lower()
    noisy["tags"] = ", ".join(list(reversed(attributes["tags"])) * 2)
    if attributes["price"] is not None:
        noisy["price"] = str(Decimal(attributes["price"]).normalize())
    noisy["stock"] = str(attributes["stock"])
    noisy["fragile"] = "TRUE" if attributes["fragile"] else "False"
    noisy["weight"] = (
        f"{attributes['weight']}00"
        if isinstance(attributes["weight"], float)
        else attributes["weight"]
    )
    pulled = attributes_from_product(fake_product(write(noisy, include_identity=True)), RICH)
    assert pulled == attributes
