"""Fixtures: a real emulator on 127.0.0.1 and a small GraphQL client over aiohttp."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from emulator.runner import Emulator, run_emulator

TOKEN = "shpat_test"
Call = Callable[..., Awaitable[tuple[int, Any]]]


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    async with run_emulator(
        token=TOKEN, products=0, seed=1, bucket=1e6, restore_rate=1e5, media_delay=0
    ) as running:
        yield running


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def make_call(emu: Emulator, session: aiohttp.ClientSession) -> Call:
    async def call(
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        token: str = TOKEN,
        version: str = "2026-01",
    ) -> tuple[int, Any]:
        headers = {"X-Shopify-Access-Token": token} if token else {}
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        async with session.post(emu.graphql_url(version), json=body, headers=headers) as response:
            return response.status, await response.json(content_type=None)

    return call


@pytest.fixture
def gql(emu: Emulator, session: aiohttp.ClientSession) -> Call:
    return make_call(emu, session)


PRODUCT_SET = """
mutation Set($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product {
      id handle title updatedAt tags
      options { name values }
      variants(first: 100) { nodes { id sku price compareAtPrice selectedOptions { name value } } }
      metafields(first: 20) { nodes { namespace key type value } }
      media(first: 20) { nodes { ... on MediaImage { image { url altText } } } }
    }
    userErrors { field message code }
  }
}
"""


async def product_set(
    gql: Call, data: dict[str, Any], identifier: dict[str, Any] | None = None
) -> dict[str, Any]:
    status, body = await gql(PRODUCT_SET, {"identifier": identifier, "input": data})
    assert status == 200, body
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["productSet"]
    return result


def sized_input(sizes: list[str], colors: list[str], **extra: Any) -> dict[str, Any]:
    variants = [
        {
            "optionValues": [{"optionName": "Size", "name": s}, {"optionName": "Color", "name": c}],
            "price": "10.00",
            "sku": f"SKU-{s}-{c}",
        }
        for s in sizes
        for c in colors
    ]
    return {
        "title": "Shirt",
        "productOptions": [
            {"name": "Size", "values": [{"name": s} for s in sizes]},
            {"name": "Color", "values": [{"name": c} for c in colors]},
        ],
        "variants": variants,
        **extra,
    }
