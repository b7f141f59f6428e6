"""Bulk query JSONL, staged upload + bulk mutation, one operation per type, cancel."""

import json
from datetime import UTC, datetime
from typing import Any

import aiohttp

from emulator.runner import Emulator, run_emulator
from tests.helpers.emulator_calls import (
    POLL,
    RUN_MUTATION,
    SET_MUTATION,
    Call,
    make_call,
    sized_input,
    staged_upload,
    wait_for_bulk,
)

RUN_QUERY = """mutation($q: String!) { bulkOperationRunQuery(query: $q) {
  bulkOperation { id status } userErrors { field message code } } }"""
INNER = """{ products { edges { node { id title
  variants { edges { node { id sku } } }
  metafields { edges { node { namespace key value } } } } } } }"""


async def _set(gql: Call, data: dict[str, Any]) -> None:
    query = (
        "mutation($input: ProductSetInput!) { productSet(input: $input) { userErrors { code } } }"
    )
    _, body = await gql(query, {"input": data})
    assert body["data"]["productSet"]["userErrors"] == []


async def test_bulk_query_writes_jsonl_with_parent_ids(
    gql: Call, session: aiohttp.ClientSession
) -> None:
    metafields = [{"namespace": "c", "key": "k", "type": "single_line_text_field", "value": "v"}]
    await _set(gql, sized_input(["S", "M"], ["Red"], metafields=metafields))
    await _set(gql, {"title": "Plain"})
    _, body = await gql(RUN_QUERY, {"q": INNER})
    started = body["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == [] and started["bulkOperation"]["status"] == "CREATED"
    done = await wait_for_bulk(gql, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED" and done["type"] == "QUERY" and done["query"] == INNER
    assert (
        done["rootObjectCount"] == "2" and done["objectCount"] == "6"
    )  # 2 products, 3 variants, 1 metafield
    async with session.get(done["url"]) as response:
        text = await response.text()
    assert int(done["fileSize"]) == len(text.encode())
    rows = [json.loads(line) for line in text.splitlines()]
    products = {r["id"]: r for r in rows if "__parentId" not in r}
    assert {p["title"] for p in products.values()} == {"Shirt", "Plain"}
    shirt = next(p["id"] for p in products.values() if p["title"] == "Shirt")
    children = [r for r in rows if r.get("__parentId") == shirt]
    assert sorted(r.get("sku") or r.get("key") for r in children) == ["SKU-M-Red", "SKU-S-Red", "k"]
    assert all("variants" not in p for p in products.values())


async def test_bulk_query_rules(gql: Call) -> None:
    cases = {
        "{ shop { name } }": "at least one connection",
        '{ node(id: "gid://shopify/Product/1") { id } }': "top level `node`",
        "{ products { edges { node { id variants { edges { node { id metafields { edges { "
        "node { id } } } } } } } } } }": "nesting depth",
        "{ products { edges { node { title variants { edges { node { id } } } } } } }": "must "
        "select the 'id' field",
        "{ products { nodes { nope } } }": "doesn't exist",
    }
    for query, fragment in cases.items():
        _, body = await gql(RUN_QUERY, {"q": query})
        [error] = body["data"]["bulkOperationRunQuery"]["userErrors"]
        assert error["code"] == "INVALID" and fragment in error["message"], (query, error)


async def test_one_bulk_query_at_a_time_before_2026_01_and_cancel(gql: Call, emu: Emulator) -> None:
    emu.clock.set(datetime(2025, 12, 1, tzinfo=UTC))  # 2025-10 is still served
    # Far longer than wait_for_bulk waits: the cancel, not the delay, must end the operation.
    emu.bulk.delay = 600
    _, body = await gql(RUN_QUERY, {"q": INNER}, version="2025-10")
    first = body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
    _, body = await gql(RUN_QUERY, {"q": INNER}, version="2025-10")
    [error] = body["data"]["bulkOperationRunQuery"]["userErrors"]
    assert error["code"] == "OPERATION_IN_PROGRESS" and first in error["message"]
    _, body = await gql("{ currentBulkOperation(type: QUERY) { id status } }")
    assert body["data"]["currentBulkOperation"] == {"id": first, "status": "CREATED"}
    cancel = (
        "mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } "
        "userErrors { message } } }"
    )
    _, body = await gql(cancel, {"id": first})
    assert body["data"]["bulkOperationCancel"]["bulkOperation"]["status"] == "CANCELING"
    assert (await wait_for_bulk(gql, first))["status"] == "CANCELED"


async def test_staged_upload_and_bulk_mutation(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    lines = [{"input": {"title": f"Bulk {n}"}} for n in range(3)] + [
        {"input": {"vendor": "no title"}}
    ]
    status, key = await staged_upload(
        gql, session, "\n".join(json.dumps(v) for v in lines).encode()
    )
    assert status == 201
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": key})
    started = body["data"]["bulkOperationRunMutation"]
    assert started["userErrors"] == []
    done = await wait_for_bulk(gql, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED" and done["type"] == "MUTATION"
    async with session.get(done["url"]) as response:
        rows = [json.loads(line) for line in (await response.text()).splitlines()]
    assert [r["__lineNumber"] for r in rows] == [0, 1, 2, 3]
    assert rows[0]["data"]["productSet"]["product"]["title"] == "Bulk 0"
    assert rows[3]["data"]["productSet"]["userErrors"][0]["code"] == "INVALID_PRODUCT"
    assert sorted(p.title for p in emu.store.products.values()) == ["Bulk 0", "Bulk 1", "Bulk 2"]


async def test_bulk_mutation_errors_and_upload_limit(
    gql: Call, session: aiohttp.ClientSession
) -> None:
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": "tmp/nope.jsonl"})
    assert body["data"]["bulkOperationRunMutation"]["userErrors"][0]["code"] == "NO_SUCH_FILE"
    _, key = await staged_upload(gql, session, b'{"input": {"title": "x"}}\n')
    _, body = await gql(RUN_MUTATION, {"m": "mutation { nope }", "path": key})
    assert body["data"]["bulkOperationRunMutation"]["userErrors"][0]["code"] == "INVALID_MUTATION"


async def test_a_large_export_does_not_stop_the_server_answering() -> None:
    # 1,500 products in slices of 20. Polls sent meanwhile are answered while
    # the operation is RUNNING, as Shopify's are; every product is exported exactly once.
    async with (
        run_emulator(token="t", products=1500, seed=2, bucket=1e6, restore_rate=1e5) as emu,
        aiohttp.ClientSession() as session,
    ):
        emu.bulk.window = 20  # many small slices, so the interleaving is certain to show
        call = make_call(emu, session)
        _, body = await call(RUN_QUERY, {"q": INNER}, token="t")
        operation_id = body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
        seen = set()
        for _ in range(2000):
            _, polled = await call(POLL, {"id": operation_id}, token="t")
            seen.add(polled["data"]["node"]["status"])
            if polled["data"]["node"]["status"] == "COMPLETED":
                break
        assert "RUNNING" in seen and "COMPLETED" in seen
        async with session.get(polled["data"]["node"]["url"]) as response:
            rows = [json.loads(line) for line in (await response.text()).splitlines()]
        ids = [row["id"] for row in rows if "__parentId" not in row]
        assert len(ids) == len(set(ids)) == 1500
