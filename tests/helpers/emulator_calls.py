"""Talking to a real emulator over HTTP: a small GraphQL caller and productSet inputs."""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from emulator.runner import Emulator

TOKEN = "shpat_test"
Call = Callable[..., Awaitable[tuple[int, Any]]]


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


POLL = """query($id: ID!) { node(id: $id) { ... on BulkOperation { id status errorCode
  objectCount rootObjectCount
  fileSize url partialDataUrl createdAt completedAt query type } } }"""


async def wait_for_bulk(gql: Call, operation_id: str) -> dict[str, Any]:
    for _ in range(200):
        _, body = await gql(POLL, {"id": operation_id})
        node: dict[str, Any] = body["data"]["node"]
        if node["status"] not in ("CREATED", "RUNNING", "CANCELING"):
            return node
        await asyncio.sleep(0.01)
    raise AssertionError("bulk operation did not finish")


STAGE = """mutation { stagedUploadsCreate(input: [{resource: BULK_MUTATION_VARIABLES, filename:
  "vars.jsonl",
  mimeType: "text/jsonl", httpMethod: POST}]) { stagedTargets { url resourceUrl parameters {
    name value } }
  userErrors { field message } } }"""


RUN_MUTATION = """mutation($m: String!, $path: String!) { bulkOperationRunMutation(mutation:
  $m, stagedUploadPath: $path) {
  bulkOperation { id status } userErrors { field message code } } }"""


SET_MUTATION = """mutation call($input: ProductSetInput!) { productSet(input: $input) {
  product { id title } userErrors { field message code } } }"""


async def staged_upload(
    gql: Call, session: aiohttp.ClientSession, content: bytes
) -> tuple[int, str]:
    _, body = await gql(STAGE)
    [target] = body["data"]["stagedUploadsCreate"]["stagedTargets"]
    form = aiohttp.FormData()
    params = {p["name"]: p["value"] for p in target["parameters"]}
    for name, value in params.items():
        form.add_field(name, value)
    form.add_field("file", content, filename="vars.jsonl", content_type="text/jsonl")
    async with session.post(target["url"], data=form) as response:
        return response.status, params["key"]


DEFINITION = """mutation { metafieldDefinitionCreate(definition: {name: "Entity", namespace:
  "sigma",
  key: "entity_id", type: "single_line_text_field", ownerType: PRODUCT,
  capabilities: {uniqueValues: {enabled: true}}}) { createdDefinition { id }
  userErrors { field message code } } }"""

BULK_MUTATE = """mutation($m: String!, $path: String!, $c: String) { bulkOperationRunMutation(
  mutation: $m, stagedUploadPath: $path, clientIdentifier: $c) {
  bulkOperation { id status } userErrors { field message code } } }"""
BULK_LIST = """query($q: String, $sort: BulkOperationsSortKeys) {
  bulkOperations(first: 10, query: $q, sortKey: $sort) {
    nodes { id status type } pageInfo { hasNextPage } } }"""


async def result_rows(session: aiohttp.ClientSession, url: str) -> list[dict[str, Any]]:
    """The JSONL lines at a bulk operation's result (or partial data) URL."""
    async with session.get(url) as response:
        assert response.status == 200
        return [json.loads(line) for line in (await response.text()).splitlines()]
