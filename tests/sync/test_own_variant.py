"""A single-variant channel reads `variant.*` from the variant a push writes them to, whatever
variants the merchant added beside it; with `variants` mapped, the list carries them."""

from typing import Any

from sync.checksum import product_checksum
from sync.fields import FieldMapping
from sync.pull_values import attributes_from_product
from tests.helpers.fake_shopify import fake_product

SINGLE = [
    FieldMapping("name", "title"),
    FieldMapping("sku", "variant.sku"),
    FieldMapping("price", "variant.price"),
]
LISTED = [*SINGLE, FieldMapping("variants", "variants")]


def _product(gift_box: bool = False) -> dict[str, Any]:
    """A mug as pushed (Shopify's default variant), with the merchant's gift box beside it."""
    titles = ["Default Title", "Gift box"] if gift_box else ["Default Title"]
    skus = {"Default Title": ("MUG-1", "10.00"), "Gift box": ("MUG-GIFT", "15.00")}
    return {
        "title": "Mug",
        "productOptions": [{"name": "Title", "values": [{"name": t} for t in titles]}],
        "variants": [
            {
                "sku": skus[t][0],
                "price": skus[t][1],
                "optionValues": [{"optionName": "Title", "name": t}],
            }
            for t in titles
        ],
    }


def test_a_merchants_added_variant_is_not_read_as_the_pims() -> None:
    alone = fake_product(_product())
    beside = fake_product(_product(gift_box=True))
    assert attributes_from_product(beside, SINGLE) == {
        "name": "Mug",
        "sku": "MUG-1",
        "price": "10.00",
    }
    # and it is no change: the checksum is the one of the product without it
    assert product_checksum(beside, SINGLE) == product_checksum(alone, SINGLE)


def test_a_product_without_the_default_variant_reads_its_first() -> None:
    sizes = [("S", "5.00"), ("M", "6.00")]
    product = fake_product(
        {
            "title": "Tee",
            "productOptions": [{"name": "Size", "values": [{"name": s} for s, _ in sizes]}],
            "variants": [
                {
                    "sku": f"TEE-{size}",
                    "price": price,
                    "optionValues": [{"optionName": "Size", "name": size}],
                }
                for size, price in sizes
            ],
        }
    )
    assert attributes_from_product(product, SINGLE)["sku"] == "TEE-S"


def test_with_variants_mapped_the_list_carries_them() -> None:
    pulled = attributes_from_product(fake_product(_product(gift_box=True)), LISTED)
    assert (pulled["sku"], pulled["price"]) == (None, None)
    assert [v["sku"] for v in pulled["variants"]] == ["MUG-1", "MUG-GIFT"]
