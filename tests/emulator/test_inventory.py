"""Stock per location: inventoryQuantity, inventory levels, inventoryQuantities inputs."""

from typing import Any

from emulator.runner import Emulator
from emulator.seed import seed_products
from tests.helpers.emulator_calls import Call, product_set

LEVELS = """
query Variant($id: ID!) {
  product(id: $id) {
    totalInventory
    variants(first: 10) { nodes {
      id inventoryQuantity
      inventoryItem { id inventoryLevels(first: 5) { nodes {
        location { id name } quantities(names: ["available", "on_hand", "committed"]) {
          name quantity } } } }
    } }
  }
}
"""
LOCATIONS = "{ locations(first: 5) { nodes { id name isActive } } }"
BULK_CREATE = """
mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $p, variants: $v) {
    productVariants { id inventoryQuantity } userErrors { field code }
  }
}
"""
BULK_UPDATE = """
mutation($p: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $p, variants: $v) {
    productVariants { id inventoryQuantity } userErrors { field code }
  }
}
"""


async def _location(gql: Call) -> str:
    _, body = await gql(LOCATIONS)
    nodes = body["data"]["locations"]["nodes"]
    assert len(nodes) >= 1 and nodes[0]["isActive"] is True
    location_id: str = nodes[0]["id"]
    return location_id


async def _read(gql: Call, product_id: str) -> dict[str, Any]:
    _, body = await gql(LEVELS, {"id": product_id})
    product: dict[str, Any] = body["data"]["product"]
    return product


async def test_new_variant_starts_at_zero_then_set_quantities(gql: Call) -> None:
    location = await _location(gql)
    created = (await product_set(gql, {"title": "Mug"}))["product"]
    product = await _read(gql, created["id"])
    variant = product["variants"]["nodes"][0]
    assert variant["inventoryQuantity"] == 0
    level = variant["inventoryItem"]["inventoryLevels"]["nodes"][0]
    assert level["location"]["id"] == location
    data = {
        "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [
            {
                "id": variant["id"],
                "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                "inventoryQuantities": [
                    {"locationId": location, "name": "available", "quantity": 7}
                ],
            }
        ],
    }
    result = await product_set(gql, data, {"id": created["id"]})
    assert result["userErrors"] == []
    product = await _read(gql, created["id"])
    variant = product["variants"]["nodes"][0]
    assert variant["inventoryQuantity"] == 7 and product["totalInventory"] == 7
    quantities = variant["inventoryItem"]["inventoryLevels"]["nodes"][0]["quantities"]
    assert quantities == [
        {"name": "available", "quantity": 7},
        {"name": "on_hand", "quantity": 7},
        {"name": "committed", "quantity": 0},
    ]


async def test_unknown_location_is_a_user_error(gql: Call) -> None:
    data = {
        "title": "Mug",
        "productOptions": [{"name": "Title", "values": [{"name": "Default Title"}]}],
        "variants": [
            {
                "optionValues": [{"optionName": "Title", "name": "Default Title"}],
                "inventoryQuantities": [
                    {"locationId": "gid://shopify/Location/1", "name": "available", "quantity": 1}
                ],
            }
        ],
    }
    result = await product_set(gql, data)
    assert result["product"] is None
    assert result["userErrors"][0]["field"] == [
        "input",
        "variants",
        "0",
        "inventoryQuantities",
        "0",
        "locationId",
    ]


async def test_bulk_create_sets_stock_and_bulk_update_refuses_quantities(gql: Call) -> None:
    location = await _location(gql)
    created = (await product_set(gql, {"title": "Mug"}))["product"]
    _, body = await gql(
        BULK_CREATE,
        {
            "p": created["id"],
            "v": [
                {
                    "optionValues": [{"optionName": "Size", "name": "L"}],
                    "inventoryQuantities": [{"locationId": location, "availableQuantity": 5}],
                }
            ],
        },
    )
    payload = body["data"]["productVariantsBulkCreate"]
    assert payload["userErrors"] == []
    new_id = payload["productVariants"][0]["id"]
    assert payload["productVariants"][0]["inventoryQuantity"] == 5
    _, body = await gql(
        BULK_UPDATE,
        {
            "p": created["id"],
            "v": [
                {
                    "id": new_id,
                    "inventoryQuantities": [{"locationId": location, "availableQuantity": 9}],
                }
            ],
        },
    )
    codes = [e["code"] for e in body["data"]["productVariantsBulkUpdate"]["userErrors"]]
    assert codes == ["NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE"]


async def test_price_update_in_place_keeps_stock(emu: Emulator, gql: Call) -> None:
    product = seed_products(emu.store, 1, seed=3)[0]
    variant = product.variants[0]
    variant.stock = {emu.store.locations[0].id: 12}
    _, body = await gql(
        BULK_UPDATE,
        {
            "p": f"gid://shopify/Product/{product.id}",
            "v": [{"id": f"gid://shopify/ProductVariant/{variant.id}", "price": "3.00"}],
        },
    )
    assert body["data"]["productVariantsBulkUpdate"]["productVariants"] == [
        {"id": f"gid://shopify/ProductVariant/{variant.id}", "inventoryQuantity": 12}
    ]
