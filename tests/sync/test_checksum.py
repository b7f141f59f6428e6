import hashlib
import json
import random
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from bench.seeding import attribute_stream
from sync.checksum import (
    entity_checksum,
    entity_payload,
    payload_checksum,
    product_checksum,
    product_payload,
)
from sync.fields import DEFAULT_MAPPINGS, FieldMapping, MappingDirection
from sync.pull_values import attributes_from_product
from sync.remote_ids import media_sources_after
from sync.write_plan import plan_write
from tests.helpers.fake_shopify import fake_product
from tests.helpers.mapping_samples import FULL_MULTI, FULL_SINGLE, RICH, entities


def pushed_product(attributes: dict[str, Any], mappings: Any = RICH) -> Any:
    return fake_product(plan_write(attributes, mappings, entity_id="e1", create=True))


def test_checksum_is_sha256_of_compact_sorted_json() -> None:
    payload = {"title": "Ü", "v": 2, "tags": ["a"]}
    expected = hashlib.sha256('{"tags":["a"],"title":"Ü","v":2}'.encode()).hexdigest()
    assert payload_checksum(payload) == expected
    assert entity_checksum({"name": "Ü", "tags": ["a"]}, DEFAULT_MAPPINGS) == expected


def test_entity_payload_is_keyed_by_shopify_field_and_normalised() -> None:
    attributes = {
        "name": " Shirt ",
        "status": "active",
        "tags": "b,a,b",
        "price": 10,
        "images": ["https://img.example/p/front.jpg?width=100"],
        "unmapped": 1,
    }
    assert entity_payload(attributes, DEFAULT_MAPPINGS) == {
        "v": 2,
        "title": " Shirt ",
        "status": "ACTIVE",
        "tags": ["a", "b"],
        "variant.price": "10.00",
        "images": ["https://img.example/p/front.jpg?width=100"],
    }


def test_product_payload_of_a_multi_variant_product() -> None:
    product = pushed_product(FULL_MULTI)
    payload = product_payload(product, DEFAULT_MAPPINGS)
    assert payload["variants"] == {
        "options": ["Size", "Color"],
        "variants": [
            {"options": ["S", "Red"], "sku": "S-R", "price": "1.00"},
            {"options": ["M", "Red"], "barcode": "9", "price": "2.50", "compareAtPrice": "3.00"},
        ],
    }
    assert "variant.sku" not in payload and "variant.price" not in payload


def test_non_semantic_differences_do_not_change_the_checksum() -> None:
    base = {
        "name": "Shirt",
        "status": "DRAFT",
        "tags": ["a", "b"],
        "price": "10.00",
        "sku": "S",
        "variants": [],
        "stock": 5,
        "weight": 1.5,
        "fragile": True,
        "specs": {"a": 1, "b": [1, 2]},
        "vendor": "",
    }
    same = {
        "specs": '{"b": [1, 2], "a": 1}',
        "fragile": "true",
        "weight": "1.50",
        "stock": "5",
        "sku": "S",
        "price": "10",
        "tags": "b, a, a",
        "status": "draft",
        "name": "Shirt",
        # absent, empty and None are all "no value"
        "variants": None,
        "unmapped": "x",
    }
    assert entity_checksum(base, RICH) == entity_checksum(same, RICH)


def test_real_changes_change_the_checksum() -> None:
    base = dict(FULL_SINGLE)
    reference = entity_checksum(base, RICH)
    changes = {
        "name": "Shirt ",
        "description": "<p>X</p>",
        "status": "ACTIVE",
        "tags": ["a", "b", "c"],
        "price": "1.01",
        "compareAt": None,
        "sku": "s",
        "images": ["https://x/b.png"],
        "seoTitle": "",
        "stock": 4,
        "weight": 0.51,
        "fragile": True,
        "specs": {"k": [1, 2]},
        "colors": ["blue"],
        "material": None,
    }
    for attribute, value in changes.items():
        assert entity_checksum(base | {attribute: value}, RICH) != reference, attribute
    reordered = list(reversed(FULL_MULTI["variants"]))
    multi = entity_checksum(FULL_MULTI, RICH)
    assert entity_checksum(FULL_MULTI | {"variants": reordered}, RICH) != multi
    image_order = FULL_SINGLE | {"images": ["https://x/1.png", "https://x/2.png"]}
    image_swap = FULL_SINGLE | {"images": ["https://x/2.png", "https://x/1.png"]}
    assert entity_checksum(image_order, RICH) != entity_checksum(image_swap, RICH)


def test_variant_attributes_do_not_count_for_a_multi_variant_entity() -> None:
    with_sku = FULL_MULTI | {"sku": "stale", "price": "99"}
    assert entity_checksum(with_sku, RICH) == entity_checksum(FULL_MULTI, RICH)


def test_images_compare_by_source_through_the_mapping_not_by_cdn_url() -> None:
    mappings = [FieldMapping("images", "images")]
    attributes = {"images": ["https://img.example/p/front.jpg", "https://img.example/p/back.jpg"]}
    product = pushed_product(attributes, mappings)
    sent = attributes["images"]
    # Shopify serves the files from its CDN, renames a colliding name with a UUID suffix and
    # has no URL at all while a medium is PROCESSING
    product["media"] = [
        {"id": "gid://shopify/MediaImage/1", "alt": None,
         "url": "https://cdn.shopify.com/s/files/1/files/front_0b7c2f4e-1d2a-4c3b-9e8f-123456789abc.jpg"},
        {"id": "gid://shopify/MediaImage/2", "alt": None, "url": None},
    ]  # fmt: skip
    sources = media_sources_after(product, [], sent)
    assert [s["source"] for s in sources] == sent
    expected = entity_checksum(attributes, mappings)
    assert product_checksum(product, mappings, sources=sources) == expected
    # without the mapping's record the CDN URL is all there is: a difference
    assert product_checksum(product, mappings) != expected
    # a medium replaced in Shopify (new id) is a real change
    product["media"][0] = {**product["media"][0], "id": "gid://shopify/MediaImage/9"}
    assert product_checksum(product, mappings, sources=sources) != expected


def test_an_absent_attribute_differs_from_a_value_shopify_holds() -> None:
    # not sent on push, so Shopify keeps (here: defaults to) its own status: a real difference
    # that the next bidirectional run settles by pulling
    product = pushed_product({"name": "N"}, DEFAULT_MAPPINGS)
    assert product["status"] == "ACTIVE"
    assert product_checksum(product, DEFAULT_MAPPINGS) != entity_checksum(
        {"name": "N"}, DEFAULT_MAPPINGS
    )
    pulled = attributes_from_product(product, DEFAULT_MAPPINGS)
    assert entity_checksum(pulled, DEFAULT_MAPPINGS) == product_checksum(product, DEFAULT_MAPPINGS)


def test_directions_restrict_the_mappings_counted() -> None:
    mappings = [
        FieldMapping("name", "title"),
        FieldMapping("vendor", "vendor", MappingDirection.PUSH),
    ]
    one = {"name": "N", "vendor": "A"}
    other = {"name": "N", "vendor": "B"}
    assert entity_checksum(one, mappings) != entity_checksum(other, mappings)
    pulled = {MappingDirection.PULL, MappingDirection.BOTH}
    assert entity_checksum(one, mappings, directions=pulled) == entity_checksum(
        other, mappings, directions=pulled
    )


def test_remote_edit_is_seen_and_key_order_is_not() -> None:
    product = pushed_product(FULL_SINGLE)
    before = product_checksum(product, RICH)
    shuffled = dict(reversed(list(product.items())))
    assert product_checksum(shuffled, RICH) == before  # type: ignore[arg-type]
    product["tags"] = [*product["tags"], "new"]
    assert product_checksum(product, RICH) != before
    product["tags"] = product["tags"][:-1]
    product["metafields"] = [dict(m) for m in product["metafields"]]
    material = next(m for m in product["metafields"] if m["key"] == "material")
    material["value"] = "cotton"
    assert product_checksum(product, RICH) != before


def test_shopify_formatting_of_stored_values_is_not_a_change() -> None:
    product = pushed_product(FULL_SINGLE)
    before = product_checksum(product, RICH)
    product["variants"][0]["price"] = "1.0"
    product["status"] = "draft"
    product["tags"] = list(reversed(product["tags"]))
    for metafield in product["metafields"]:
        if metafield["type"] == "json":
            metafield["value"] = json.dumps(json.loads(metafield["value"]), indent=2)
    assert product_checksum(product, RICH) == before


@settings(max_examples=100, deadline=None)
@given(entities(), st.randoms(use_true_random=False))
def test_entity_and_product_checksums_agree_after_push_and_pull(
    attributes: dict[str, Any], rng: random.Random
) -> None:
    product = pushed_product(attributes)
    checksum = entity_checksum(attributes, RICH)
    assert product_checksum(product, RICH) == checksum
    assert entity_checksum(attributes_from_product(product, RICH), RICH) == checksum
    items = list(attributes.items())
    rng.shuffle(items)
    assert entity_checksum(dict(items), RICH) == checksum


@settings(max_examples=100, deadline=None)
@given(
    entities(), st.sampled_from([m.attribute for m in RICH if not m.field.startswith("variant")])
)
def test_changing_one_mapped_value_changes_the_checksum(
    attributes: dict[str, Any], attribute: str
) -> None:
    changed = dict(attributes)
    value = attributes[attribute]
    if isinstance(value, bool):
        changed[attribute] = not value
    elif isinstance(value, int | float):
        changed[attribute] = value + 1
    elif isinstance(value, list):
        changed[attribute] = [*value, "https://img.example/new-extra.png"]
    elif attribute == "status":
        changed[attribute] = "ACTIVE" if value != "ACTIVE" else "DRAFT"
    elif isinstance(value, str):
        changed[attribute] = value + "z"
    else:
        changed[attribute] = {"changed": value}
    assert entity_checksum(changed, RICH) != entity_checksum(attributes, RICH)


# Checksums the stored mappings hold: made by the json/Decimal implementation (main at 04c6e7c)
# before the faster one, which must reproduce them byte for byte (CHECKSUM_VERSION unchanged).
FIRST_BENCH_CHECKSUMS = (
    "4162f686d692f15d2d10ac0b3f72831dd89f99c4c079e491b2dc0a8d823b12e2",
    "5bf004c5f81209cefdf727d550bd7132a63d47ae0ed578802ab972873ac8a7b6",
)
BENCH_500_DIGEST = "e647bafe0764f13e1d218eda59c1aff816cd1c21688f2dbe9a47eb765576b0da"


def test_checksums_of_stored_mappings_do_not_change() -> None:
    checksums = [entity_checksum(a, DEFAULT_MAPPINGS) for a in attribute_stream(500, 1)]
    assert tuple(checksums[:2]) == FIRST_BENCH_CHECKSUMS
    assert hashlib.sha256("".join(checksums).encode()).hexdigest() == BENCH_500_DIGEST


_json_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
_payload_values = st.recursive(
    st.none() | st.integers(-(2**63), 2**63 - 1) | _json_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_json_text, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_json_text, _payload_values, max_size=6))
def test_payload_checksum_is_the_json_module_spelling(payload: dict[str, Any]) -> None:
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert payload_checksum(payload) == hashlib.sha256(text.encode()).hexdigest()


def test_payload_checksum_takes_the_json_route_for_what_orjson_refuses() -> None:
    payload = {"n": 2**70}
    expected = hashlib.sha256(b'{"n":1180591620717411303424}').hexdigest()
    assert payload_checksum(payload) == expected
