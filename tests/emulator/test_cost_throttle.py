"""Calculated query cost, the leaky bucket, THROTTLED and MAX_COST_EXCEEDED."""

from emulator.runner import Emulator
from emulator.seed import seed_products
from tests.helpers.emulator_calls import Call, product_set, sized_input


async def test_connection_cost_is_sized_by_first_and_refunded(emu: Emulator, gql: Call) -> None:
    await product_set(gql, {"title": "Only one"})
    _, body = await gql("{ products(first: 10) { nodes { id title } } }")
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 12  # 2 + 10 products x 1
    assert cost["actualQueryCost"] == 3  # one product came back
    nested = "{ products(first: 10) { nodes { id variants(first: 5) { nodes { id } } } } }"
    _, body = await gql(nested)
    assert body["extensions"]["cost"]["requestedQueryCost"] == 2 + 10 * (1 + 2 + 5)


async def test_mutation_and_product_set_costs(gql: Call) -> None:
    _, body = await gql(
        'mutation { productDelete(input: {id: "gid://shopify/Product/1"}) { deletedProductId } }'
    )
    assert body["extensions"]["cost"]["requestedQueryCost"] == 10
    data = sized_input(
        ["S", "M", "L", "XL", "XXL"],
        ["Red"],
        metafields=[{"namespace": "a", "key": "b", "type": "single_line_text_field", "value": "c"}],
        files=[{"originalSource": "https://cdn.example.com/a.jpg", "contentType": "IMAGE"}],
    )
    query = (
        "mutation($input: ProductSetInput!) { productSet(input: $input) { product { id } "
        "userErrors { code } } }"
    )
    _, body = await gql(query, {"input": data})
    # 10 + 5 variants x 0.2 + 1 product metafield x 0.4 + 1 product file x 1.9 = 13.3 -> 14
    assert body["extensions"]["cost"]["requestedQueryCost"] == 14


async def test_single_query_max_cost(gql: Call) -> None:
    query = "{ products(first: 250) { nodes { id variants(first: 250) { nodes { id } } } } }"
    status, body = await gql(query)
    assert status == 200 and "data" not in body
    [error] = body["errors"]
    cost = 2 + 250 * (1 + 2 + 250)
    assert error["extensions"]["code"] == "MAX_COST_EXCEEDED"
    assert (
        error["message"]
        == f"Query cost is {cost}, which exceeds the single query max cost limit (1000)."
    )
    assert body["extensions"]["cost"]["actualQueryCost"] is None


async def test_throttled_when_bucket_is_empty(emu: Emulator, gql: Call) -> None:
    seed_products(emu.store, 60)
    emu.bucket.configure(maximum=60, restore_rate=1)
    emu.bucket.fill()
    query = "{ products(first: 50) { nodes { id } } }"  # 52 points
    _, first = await gql(query)
    assert "data" in first
    status, second = await gql(query)
    assert status == 200 and "data" not in second
    assert second["errors"] == [
        {
            "message": "Throttled",
            "extensions": {
                "code": "THROTTLED",
                "documentation": "https://shopify.dev/api/usage/rate-limits",
            },
        }
    ]
    cost = second["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 52 and cost["actualQueryCost"] is None
    assert cost["throttleStatus"]["maximumAvailable"] == 60.0
    assert cost["throttleStatus"]["currentlyAvailable"] < 52
    assert emu.stats.throttled == 1
