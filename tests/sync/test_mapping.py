"""What a push sends: the productSet input, metafieldsSet entries and variant update built from
an entity's attributes by the channel's field mappings, and the values Shopify would refuse.
(Single values: test_field_values.py; the pull side: test_pull_values.py.)"""

from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLSchema, Undefined, coerce_input_value

from sync.fields import DEFAULT_MAPPINGS, FieldMapping, MappingDirection
from sync.mapping import MappingError
from sync.pull_values import attributes_from_product
from tests.helpers.fake_shopify import fake_product
from tests.helpers.mapping_samples import FULL_MULTI, FULL_SINGLE, IDENTITY, push, write

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


# -- the real Shopify schema accepts what we build ----------------------------------------------


def test_product_set_input_is_valid_for_shopify(shopify_2025_01_schema: GraphQLSchema) -> None:
    input_type = shopify_2025_01_schema.type_map["ProductSetInput"]
    assert isinstance(input_type, GraphQLInputObjectType)
    for sample in (push(FULL_SINGLE, include_identity=True), push(FULL_MULTI)):
        assert coerce_input_value(sample, input_type) is not Undefined, sample
    # the check can fail: a field the real input type lacks is refused
    wrong = push(FULL_MULTI) | {"options": ["Size"]}
    assert coerce_input_value(wrong, input_type) is Undefined
