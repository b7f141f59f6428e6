from decimal import Decimal
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLSchema,
    Undefined,
    coerce_input_value,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.field_values import decode_metafield, encode_metafield, money, tags_list
from sync.fields import DEFAULT_MAPPINGS, FieldMapping, MappingDirection
from sync.mapping import MappingError, product_set_input
from sync.pull_values import attributes_from_product, entity_id_from_product
from sync.write_plan import ProductWrite, plan_write
from tests.helpers.fake_shopify import fake_product
from tests.helpers.mapping_samples import FULL_MULTI, FULL_SINGLE, RICH, entities

IDENTITY = {
    "namespace": "sigma",
    "key": "entity_id",
    "type": "single_line_text_field",
    "value": "e1",
}


def push(attributes: dict[str, Any], mappings: Any = RICH, **kw: Any) -> dict[str, Any]:
    return product_set_input(
        attributes, mappings, include_identity=kw.get("include_identity", False), entity_id="e1"
    )


def write(attributes: dict[str, Any], mappings: Any = RICH, **kw: Any) -> ProductWrite:
    """The whole write of a push: productSet input, metafieldsSet entries, variant update."""
    return plan_write(
        attributes, mappings, entity_id="e1", create=kw.get("include_identity", False)
    )


# -- forward mapping rules ----------------------------------------------------------------------


def test_single_variant_product_with_default_mappings() -> None:
    attributes = {
        "name": "Shirt",
        "description": "<p>Cotton</p>",
        "vendor": "Acme",
        "productType": "Shirts",
        "tags": "summer, cotton ,,summer",
        "status": "draft",
        "sku": "SH-1",
        "price": "10",
        "images": ["https://img.example/a.jpg", "https://img.example/b.jpg"],
        "unmapped": "ignored",
    }
    assert push(attributes, DEFAULT_MAPPINGS, include_identity=True) == {
        "title": "Shirt",
        "descriptionHtml": "<p>Cotton</p>",
        "vendor": "Acme",
        "productType": "Shirts",
        "tags": ["summer", "cotton"],
        "status": "DRAFT",
        "productOptions": [{"name": "Title", "position": 1, "values": [{"name": "Default Title"}]}],
        "variants": [
            {
                "sku": "SH-1",
                "price": "10.00",
                "optionValues": [{"optionName": "Title", "name": "Default Title"}],
            }
        ],
        "files": [
            {"originalSource": "https://img.example/a.jpg", "contentType": "IMAGE"},
            {"originalSource": "https://img.example/b.jpg", "contentType": "IMAGE"},
        ],
        "metafields": [IDENTITY],
    }


def test_multi_variant_product_derives_options_in_first_seen_order() -> None:
    attributes = {
        "name": "Tee",
        "sku": "ignored-because-variants",
        "variants": [
            {"sku": "T-S-R", "price": 5, "options": {"Size": "S", "Color": "Red"}},
            {"sku": "T-M-R", "price": "5.5", "compareAtPrice": "7", "barcode": "123",
             "options": {"Color": "Red", "Size": "M"}},
            {"sku": "T-S-B", "price": "5.125", "options": {"Size": "S", "Color": "Blue"}},
        ],
    }  # fmt: skip
    result = push(attributes, DEFAULT_MAPPINGS)
    assert result["productOptions"] == [
        {"name": "Size", "position": 1, "values": [{"name": "S"}, {"name": "M"}]},
        {"name": "Color", "position": 2, "values": [{"name": "Red"}, {"name": "Blue"}]},
    ]
    assert result["variants"] == [
        {
            "optionValues": [
                {"optionName": "Size", "name": "S"},
                {"optionName": "Color", "name": "Red"},
            ],
            "sku": "T-S-R",
            "price": "5.00",
        },
        {
            "optionValues": [
                {"optionName": "Size", "name": "M"},
                {"optionName": "Color", "name": "Red"},
            ],
            "sku": "T-M-R",
            "barcode": "123",
            "price": "5.50",
            "compareAtPrice": "7.00",
        },
        {
            "optionValues": [
                {"optionName": "Size", "name": "S"},
                {"optionName": "Color", "name": "Blue"},
            ],
            "sku": "T-S-B",
            "price": "5.125",
        },
    ]
    assert "metafields" not in result


def test_empty_variants_list_falls_back_to_the_single_variant() -> None:
    result = push({"variants": [], "price": 3}, DEFAULT_MAPPINGS, include_identity=True)
    assert result["variants"][0]["price"] == "3.00"
    assert result["productOptions"][0]["name"] == "Title"


def test_variant_fields_of_an_update_never_replace_the_variant_list() -> None:
    # a `variants` list would delete the variants a merchant added: an update writes the
    # variant.* fields in place on the known variant (productVariantsBulkUpdate)
    attributes = {"name": "Mug", "sku": "MUG-1", "price": 3, "barcode": "42"}
    plan = write(attributes, (*DEFAULT_MAPPINGS, FieldMapping("barcode", "variant.barcode")))
    assert plan.input == {"title": "Mug"}
    assert plan.variant_update == {
        "price": "3.00",
        "barcode": "42",
        "inventoryItem": {"sku": "MUG-1"},  # ProductVariantsBulkInput has no top-level sku
    }
    created = write(attributes, DEFAULT_MAPPINGS, include_identity=True)
    assert created.variant_update is None
    assert created.input["variants"] == [
        {
            "sku": "MUG-1",
            "price": "3.00",
            "optionValues": [{"optionName": "Title", "name": "Default Title"}],
        }
    ]


def test_unmapped_or_absent_lists_are_never_sent() -> None:
    assert push({"name": "Bare"}, DEFAULT_MAPPINGS) == {"title": "Bare"}
    assert push({"name": "Bare", "tags": None, "variants": None}, DEFAULT_MAPPINGS) == {
        "title": "Bare"
    }
    # a list that is mapped and present but empty is sent: it clears Shopify's list
    assert push({"tags": [], "images": []}, DEFAULT_MAPPINGS) == {"tags": [], "files": []}


def test_push_only_and_pull_only_mappings() -> None:
    mappings = [
        FieldMapping("name", "title", MappingDirection.PUSH),
        FieldMapping("remoteVendor", "vendor", MappingDirection.PULL),
    ]
    assert push({"name": "N", "remoteVendor": "V"}, mappings) == {"title": "N"}
    product = fake_product({"title": "N", "vendor": "V"})
    assert attributes_from_product(product, mappings) == {"remoteVendor": "V"}


def test_metafields_are_typed_written_in_place_and_cleared_ones_deleted() -> None:
    attributes = {
        "seoTitle": "Buy it",
        "material": "wool",
        "stock": "12",
        "weight": 1.50,
        "fragile": True,
        "specs": {"b": [1, 2], "a": "ü"},
        "colors": ["red", "blue"],
        "notes": "",  # blank: Shopify refuses it, so it is deleted
    }
    plan = write(attributes)
    # productSet never carries metafields on an update: its list would delete every metafield
    # it leaves out (other apps', the merchant's)
    assert plan.input == {"seo": {"title": "Buy it"}}
    assert plan.metafields == [
        {"namespace": "custom", "key": "material", "type": "single_line_text_field",
         "value": "wool"},
        {"namespace": "custom", "key": "stock", "type": "number_integer", "value": "12"},
        {"namespace": "custom", "key": "weight", "type": "number_decimal", "value": "1.5"},
        {"namespace": "custom", "key": "fragile", "type": "boolean", "value": "true"},
        {"namespace": "custom", "key": "specs", "type": "json",
         "value": '{"a":"ü","b":[1,2]}'},
        {"namespace": "custom", "key": "colors", "type": "list.single_line_text_field",
         "value": '["red","blue"]'},
    ]  # fmt: skip
    assert plan.cleared == [("custom", "notes")]
    # a create carries the identity metafield only (customId upserts need it in the list)
    created = write(attributes, include_identity=True)
    assert created.input["metafields"] == [IDENTITY]
    assert created.cleared == []


def test_a_mapping_into_the_sigma_namespace_never_reaches_shopify() -> None:
    mappings = [FieldMapping("fake", "metafield.sigma.entity_id")]
    assert push({"fake": "other"}, mappings, include_identity=True) == {"metafields": [IDENTITY]}


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"price": "ten"}, "price: 'ten' is not a decimal amount"),
        ({"stock": "1.5"}, "stock (metafield.custom.stock): '1.5' is not an integer"),
        ({"fragile": "yes"}, "fragile (metafield.custom.fragile): 'yes' is not a boolean"),
        ({"variants": [{"sku": "x"}]}, "variants[0]: a variant needs an 'options' object"),
        ({"variants": "S,M"}, "variants: variants must be a list"),
        (
            {"variants": [{"options": {n: "1" for n in "ABCD"}}]},
            "variants: Shopify allows at most 3 options, got 4: A, B, C, D",
        ),
        (
            {"variants": [{"options": {"Size": "S", "Color": "Red"}}, {"options": {"Size": "M"}}]},
            "variants[1].options: no value for option 'Color'",
        ),
        (
            {"variants": [{"options": {"Size": "S"}}, {"options": {"Size": "S"}}]},
            "variants[1].options: S appears twice",
        ),
    ],
)
def test_values_shopify_would_reject_raise_mapping_error(
    attributes: dict[str, Any], message: str
) -> None:
    with pytest.raises(MappingError) as raised:
        push(attributes)
    assert str(raised.value).startswith(message)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", "10.00"),
        ("10.5", "10.50"),
        ("10.000", "10.00"),
        ("10.1250", "10.125"),
        (" 7.1 ", "7.10"),
        (3, "3.00"),
        (2.5, "2.50"),
        ("-0", "0.00"),
        ("1e2", "100.00"),
        ("abc", None),
        ("NaN", None),
        (True, None),
        (None, None),
    ],
)
def test_money(raw: Any, expected: str | None) -> None:
    assert money(raw) == expected


@pytest.mark.parametrize(
    ("metafield_type", "stored", "value"),
    [
        ("number_integer", "42", 42),
        ("number_decimal", "2", 2),
        ("number_decimal", "2.5", 2.5),
        ("number_decimal", "0.12345678901234567890", "0.1234567890123456789"),
        ("boolean", "false", False),
        ("boolean", " TRUE", True),
        ("boolean", "yes", "yes"),
        ("json", '{"a":1}', {"a": 1}),
        ("json", "not json", "not json"),
        ("number_integer", "abc", "abc"),
        ("single_line_text_field", "  spaced ", "  spaced "),
    ],
)
def test_metafield_decoding(metafield_type: str, stored: str, value: Any) -> None:
    assert decode_metafield(stored, metafield_type) == value
    assert type(decode_metafield(stored, metafield_type)) is type(value)


def test_tags_from_a_list_or_a_comma_separated_string() -> None:
    assert tags_list(" b, a,,b ") == ["b", "a"]
    assert tags_list(["x ", "", "y", "x", 3]) == ["x", "y", "3"]
    assert tags_list([]) == []


def test_json_metafield_accepts_json_text() -> None:
    assert encode_metafield('{"b": 1, "a": 2}', "json") == '{"a":2,"b":1}'
    assert encode_metafield("plain", "json") == '"plain"'
    assert encode_metafield(None, "json") is None


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


# -- the real Shopify schema accepts what we build ----------------------------------------------


def test_product_set_input_is_valid_for_shopify(shopify_2025_01_schema: GraphQLSchema) -> None:
    input_type = shopify_2025_01_schema.type_map["ProductSetInput"]
    assert isinstance(input_type, GraphQLInputObjectType)
    for sample in (push(FULL_SINGLE, include_identity=True), push(FULL_MULTI)):
        assert coerce_input_value(sample, input_type) is not Undefined, sample
    # the check can fail: a field the real input type lacks is refused
    wrong = push(FULL_MULTI) | {"options": ["Size"]}
    assert coerce_input_value(wrong, input_type) is Undefined


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


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9]{1,7}(\.[0-9]{0,3})?", fullmatch=True))
def test_money_of_plain_amounts_is_the_amount_in_cents(text: str) -> None:
    number = Decimal(text)
    cents = number.quantize(Decimal("0.01"))
    expected = format(cents if cents == number else number.normalize(), "f")
    assert money(text) == expected
