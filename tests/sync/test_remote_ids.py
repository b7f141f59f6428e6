"""Variant and media identity: which Shopify variant or file stands for which PIM one."""

from typing import Any

from sync.product import MediaRecord, ProductRecord
from sync.remote_ids import (
    MediaSource,
    VariantKey,
    adopt_media,
    file_stem,
    image_sources,
    match_variant_ids,
    media_sources_after,
    single_variant_id,
    variant_keys,
)
from tests.helpers.fake_shopify import fake_product

KNOWN = [
    VariantKey(id="v1", options={"Size": "S", "Color": "Red"}, sku="T-S-R"),
    VariantKey(id="v2", options={"Size": "M", "Color": "Red"}, sku="T-M-R"),
    VariantKey(id="v3", options={"Size": "L", "Color": "Red"}, sku="T-L-R"),
]


def test_variants_match_by_option_combination_then_sku_never_twice() -> None:
    pim: list[dict[str, Any]] = [
        {"options": {"color": "red", "size": "m"}, "sku": "OTHER"},  # combination, any case
        {"options": {"Size": "XL", "Color": "Red"}, "sku": "T-S-R"},  # renamed: same SKU
        {"options": {"Size": "XS", "Color": "Red"}, "sku": "T-S-R"},  # SKU already taken
        {"options": {"Size": "XXL", "Color": "Red"}},  # new
    ]
    assert match_variant_ids(pim, KNOWN) == ["v2", "v1", None, None]
    assert match_variant_ids(pim, []) == [None] * 4


def test_the_variant_of_variant_fields_is_the_default_then_the_sku_then_the_first() -> None:
    default = VariantKey(id="d", options={"Title": "Default Title"}, sku=None)
    gift = VariantKey(id="g", options={"Title": "Gift box"}, sku="GIFT")
    assert single_variant_id([gift, default], "GIFT") == "d"
    assert single_variant_id(KNOWN, "T-L-R") == "v3"
    assert single_variant_id(KNOWN, None) == "v1"
    assert single_variant_id([], "X") is None


def test_variant_keys_of_a_product() -> None:
    product = fake_product({"title": "T"})
    [key] = variant_keys(product)
    assert key == {"id": product["variants"][0]["id"], "options": {"Title": "Default Title"},
                   "sku": None}  # fmt: skip


def test_file_stem_ignores_cdn_path_query_extension_and_uuid_suffix() -> None:
    assert file_stem("https://img.example/p/Front.JPG?width=100") == "front"
    renamed = (
        "https://cdn.shopify.com/s/files/1/files/front_0b7c2f4e-1d2a-4c3b-9e8f-123456789abc.jpg?v=1"
    )
    assert file_stem(renamed) == "front"


def _media(*items: tuple[str, str | None]) -> list[MediaRecord]:
    return [MediaRecord(id=i, url=u, alt=None) for i, u in items]


def test_adopting_media_by_file_name_leaves_ambiguous_names_alone() -> None:
    media = _media(
        ("m1", "https://cdn.shopify.com/files/front_0b7c2f4e-1d2a-4c3b-9e8f-123456789abc.jpg"),
        ("m2", "https://cdn.shopify.com/files/side.png"),
        ("m3", "https://cdn.shopify.com/files/side.jpg"),
        ("m4", None),  # processing: nothing to match on
    )
    sources = ["https://img.example/front.jpg", "https://img.example/side.jpg", "https://x/new.jpg"]
    assert adopt_media(sources, media) == [{"id": "m1", "source": "https://img.example/front.jpg"}]


def _product(media: list[MediaRecord]) -> ProductRecord:
    product = fake_product({"title": "T"})
    product["media"] = media
    return product


def test_media_sources_after_a_push_and_after_a_pull() -> None:
    known = [MediaSource(id="m1", source="https://img/a.jpg")]
    pushed = _product(_media(("m2", None), ("m1", "https://cdn/a.jpg"), ("m3", None)))
    # after a push the product's media are the files sent, in that order
    assert media_sources_after(pushed, known, ["https://img/b.jpg", "https://img/a.jpg",
                                               "https://img/c.jpg"]) == [
        {"id": "m2", "source": "https://img/b.jpg"},
        {"id": "m1", "source": "https://img/a.jpg"},
        {"id": "m3", "source": "https://img/c.jpg"},
    ]  # fmt: skip
    # after a pull a merchant's image stands for its CDN URL; one still processing is skipped
    pulled = _product(_media(("m1", "https://cdn/a.jpg"), ("m9", "https://cdn/m.jpg"),
                             ("m8", None)))  # fmt: skip
    assert media_sources_after(pulled, known) == [
        {"id": "m1", "source": "https://img/a.jpg"},
        {"id": "m9", "source": "https://cdn/m.jpg"},
    ]
    assert image_sources(pulled, known) == [
        ("https://img/a.jpg", None),
        ("https://cdn/m.jpg", None),
    ]
