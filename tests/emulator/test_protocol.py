"""Endpoint, auth, validation errors and extensions.cost, over real HTTP."""

import re

import aiohttp

from emulator.runner import Emulator
from tests.helpers.emulator_calls import TOKEN, Call

SHOP = """{ shop { name myshopifyDomain primaryDomain { url }
  plan { displayName publicDisplayName partnerDevelopment shopifyPlus }
  currencyCode ianaTimezone } }"""
INVALID = {"errors": "[API] Invalid API key or access token (unrecognized login or wrong password)"}


async def test_shop_query_and_cost_extensions(emu: Emulator, gql: Call) -> None:
    emu.bucket.configure(maximum=2000, restore_rate=100)
    status, body = await gql(SHOP, version="unstable")
    assert status == 200
    shop = body["data"]["shop"]
    assert shop["myshopifyDomain"] == "demo.myshopify.com"
    assert shop["primaryDomain"]["url"] == "https://demo.myshopify.com"
    assert shop["plan"]["shopifyPlus"] is False
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 1 and cost["actualQueryCost"] == 1
    throttle = cost["throttleStatus"]
    assert throttle["maximumAvailable"] == 2000.0 and isinstance(
        throttle["maximumAvailable"], float
    )
    assert isinstance(throttle["restoreRate"], float) and throttle["restoreRate"] == 100.0
    assert 1990 <= throttle["currentlyAvailable"] <= 2000


async def test_wrong_or_missing_token_is_401(gql: Call) -> None:
    assert await gql(SHOP, token="shpat_wrong") == (401, INVALID)
    assert await gql(SHOP, token="") == (401, INVALID)


async def test_other_shop_host_is_not_found(emu: Emulator, session: aiohttp.ClientSession) -> None:
    headers = {"X-Shopify-Access-Token": TOKEN, "Host": "other.myshopify.com"}
    async with session.post(emu.graphql_url(), json={"query": SHOP}, headers=headers) as response:
        assert response.status == 404
    headers["Host"] = "demo.myshopify.com"
    async with session.post(emu.graphql_url(), json={"query": SHOP}, headers=headers) as response:
        assert response.status == 200
        assert response.headers["X-Shopify-API-Version"] == "2026-01"


async def test_undefined_field_is_a_shopify_shaped_validation_error(gql: Call) -> None:
    status, body = await gql("{ shop { name nope } }")
    assert status == 200 and "data" not in body
    [error] = body["errors"]
    assert error["message"] == "Field 'nope' doesn't exist on type 'Shop'"
    assert error["locations"] == [{"line": 1, "column": 15}]
    assert error["extensions"] == {
        "code": "undefinedField",
        "typeName": "Shop",
        "fieldName": "nope",
    }


async def test_missing_argument_and_unknown_argument(gql: Call) -> None:
    _, body = await gql("{ product { id } }")
    assert body["errors"][0]["extensions"]["code"] == "missingRequiredArguments"
    assert body["errors"][0]["message"] == "Field 'product' is missing required arguments: id"
    _, body = await gql("{ products(frist: 1) { nodes { id } } }")
    assert body["errors"][0]["extensions"]["code"] == "argumentNotAccepted"


async def test_syntax_error_and_bad_variables(gql: Call) -> None:
    _, body = await gql("{ shop { name }")
    assert body["errors"][0]["message"].startswith("Parse error on")
    query = "query($id: ID!) { product(id: $id) { id } }"
    _, body = await gql(query, {"id": None})
    assert body["errors"][0]["message"] == "Variable $id of type ID! was provided invalid value"


async def test_timestamps_ids_and_money_formats(gql: Call) -> None:
    mutation = """mutation { productSet(input: {title: "Mug", variants: [{optionValues:
      [{optionName: "Title",
      name: "Default Title"}], price: 12.5}], productOptions: [{name: "Title", values: [{name:
        "Default Title"}]}]})
      { product { id legacyResourceId createdAt updatedAt variants(first: 1) { nodes { price } } }
      userErrors { code } } }"""
    _, body = await gql(mutation)
    product = body["data"]["productSet"]["product"]
    assert re.fullmatch(r"gid://shopify/Product/\d+", product["id"])
    assert product["id"].endswith("/" + product["legacyResourceId"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", product["updatedAt"])
    assert product["variants"]["nodes"][0]["price"] == "12.50"
