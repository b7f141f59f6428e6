"""A merchant's store for the e2e tests: other apps' metafields, the merchant's variants and stock,
and snapshots of what a channel does not own (tests/e2e/test_merchant_*.py)."""

from typing import Any

from emulator.models import Product
from tests.helpers.stack import Stack

MAPPINGS = [
    {"attribute": "name", "field": "title"},
    {"attribute": "sku", "field": "variant.sku"},
    {"attribute": "price", "field": "variant.price"},
    {"attribute": "variants", "field": "variants"},
    {"attribute": "images", "field": "images"},
    {"attribute": "tags", "field": "tags"},
    # a mapped metafield: the channel owns custom.brand and nothing else of the metafields
    {"attribute": "vendor", "field": "metafield.custom.brand"},
]
IMG = "https://img.example.com/pim"

METAFIELDS_SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id } userErrors { field message code } } }"""
VARIANTS_CREATE = """mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $p, variants: $v, strategy: PRESERVE_STANDALONE_VARIANT) {
    productVariants { id } userErrors { field message code } } }"""


def products_by_title(s: Stack) -> dict[str, Product]:
    return {p.title: p for p in s.emulator.store.products.values()}


def gid(kind: str, number: int) -> str:
    return f"gid://shopify/{kind}/{number}"


async def merchant_edits(s: Stack, add_variant: bool = True) -> None:
    """Other apps' and the merchant's data on both products, and stock everywhere."""
    location = s.emulator.store.locations[0]
    for product in s.emulator.store.products.values():
        owner = gid("Product", product.id)
        body = await s.shopify(
            METAFIELDS_SET,
            {
                "m": [
                    {
                        "ownerId": owner,
                        "namespace": "reviews",
                        "key": "rating",
                        "type": "number_decimal",
                        "value": "4.5",
                    },
                    {
                        "ownerId": owner,
                        "namespace": "custom",
                        "key": "care",
                        "type": "multi_line_text_field",
                        "value": "Hand wash\ncold",
                    },
                    {
                        "ownerId": owner,
                        "namespace": "seo_app",
                        "key": "keywords",
                        "type": "list.single_line_text_field",
                        "value": '["mug","tea"]',
                    },
                ]
            },
        )
        assert body["data"]["metafieldsSet"]["userErrors"] == []
        for variant in product.variants:
            variant.stock = {location.id: 5}
    if not add_variant:
        return
    mug = products_by_title(s)["Mug"]
    body = await s.shopify(
        VARIANTS_CREATE,
        {
            "p": gid("Product", mug.id),
            "v": [
                {
                    "optionValues": [{"optionName": "Title", "name": "Gift box"}],
                    "price": "15.00",
                    "inventoryItem": {"sku": "MUG-GIFT"},
                    "inventoryQuantities": [
                        {"locationId": gid("Location", location.id), "availableQuantity": 7}
                    ],
                }
            ],
        },
    )
    assert body["data"]["productVariantsBulkCreate"]["userErrors"] == [], body


def unowned_snapshot(s: Stack) -> dict[int, Any]:
    """What the channel does not own: unmapped metafields, variant ids with their stock."""
    snapshot: dict[int, Any] = {}
    for product in s.emulator.store.products.values():
        snapshot[product.id] = {
            "metafields": sorted(
                (m.namespace, m.key, m.type, m.value)
                for m in product.metafields
                # ours: the mapped metafield and the identity
                if (m.namespace, m.key) not in {("custom", "brand"), ("sigma", "entity_id")}
            ),
            "variants": {v.id: v.inventory_quantity for v in product.variants},
        }
    return snapshot


def store_state(s: Stack) -> tuple[int, int, int]:
    store = s.emulator.store
    variants = sum(len(p.variants) for p in store.products.values())
    return len(store.products), variants, store.file_count()


def brand(product: Product) -> str | None:
    found = product.metafield("custom", "brand")
    return found.value if found else None


def sources(product: Product) -> list[str]:
    return [m.url for m in product.media]


async def create_tee(s: Stack) -> str:
    """The two-variant PIM entity both scenarios start from."""
    return await s.create_entity(
        name="Tee",
        vendor="Acme",
        images=[f"{IMG}/tee.jpg"],
        variants=[
            {"options": {"Size": "S"}, "sku": "TEE-S", "price": "5.00"},
            {"options": {"Size": "M"}, "sku": "TEE-M", "price": "5.00"},
        ],
    )


def assert_untouched(s: Stack, before: dict[int, Any]) -> None:
    """Same products (by id), each with the same unmapped metafields and every variant it had
    still there with its id and its stock."""
    after = unowned_snapshot(s)
    assert after.keys() == before.keys()
    for product_id, owned in before.items():
        assert after[product_id]["metafields"] == owned["metafields"], product_id
        for variant_id, stock in owned["variants"].items():
            assert after[product_id]["variants"].get(variant_id) == stock, (product_id, variant_id)
