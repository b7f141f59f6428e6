"""Bulk operations as 2026-01 changed them, over HTTP: ungrouped output, five at once, the
`bulkOperation(s)` queries, upload limits, partial data, expiring links, progress, lost replies."""

import asyncio
import json
from datetime import UTC, datetime
from typing import Any

import aiohttp
import pytest

from emulator.runner import Emulator, run_emulator
from tests.helpers.emulator_calls import (
    POLL,
    RUN_MUTATION,
    SET_MUTATION,
    Call,
    make_call,
    staged_upload,
    wait_for_bulk,
)

GROUPED = """mutation($q: String!, $g: Boolean!) { bulkOperationRunQuery(query: $q,
  groupObjects: $g) { bulkOperation { id status } userErrors { field message code } } }"""
DEFAULT = """mutation($q: String!) { bulkOperationRunQuery(query: $q) {
  bulkOperation { id status } userErrors { field message code } } }"""
EXPORT = "{ products { edges { node { id variants { edges { node { id position } } } } } } }"
MUTATE = """mutation($m: String!, $path: String!, $c: String) { bulkOperationRunMutation(
  mutation: $m, stagedUploadPath: $path, clientIdentifier: $c) {
  bulkOperation { id status } userErrors { field message code } } }"""
LIST = """query($q: String, $sort: BulkOperationsSortKeys) { bulkOperations(first: 10, query: $q,
  sortKey: $sort) { nodes { id status type } pageInfo { hasNextPage } } }"""
PRE_2026 = datetime(2025, 12, 1, tzinfo=UTC)  # 2025-10 is still supported then


async def _rows(session: aiohttp.ClientSession, url: str) -> list[dict[str, Any]]:
    async with session.get(url) as response:
        assert response.status == 200
        return [json.loads(line) for line in (await response.text()).splitlines()]


async def _export(
    gql: Call, session: aiohttp.ClientSession, version: str, group: bool | None
) -> list[dict[str, Any]]:
    if group is None:
        _, body = await gql(DEFAULT, {"q": EXPORT}, version=version)
        started = body["data"]["bulkOperationRunQuery"]
    else:
        _, body = await gql(GROUPED, {"q": EXPORT, "g": group}, version=version)
        started = body["data"]["bulkOperationRunQuery"]
    assert started["userErrors"] == [], started
    done = await wait_for_bulk(gql, started["bulkOperation"]["id"])
    assert done["status"] == "COMPLETED"
    return await _rows(session, done["url"])


def _grouped(rows: list[dict[str, Any]]) -> bool:
    """Every child follows its parent, with no other parent in between."""
    current = None
    for row in rows:
        if "__parentId" not in row:
            current = row["id"]
        elif row["__parentId"] != current:
            return False
    return True


def _siblings_in_order(rows: list[dict[str, Any]]) -> bool:
    positions: dict[str, list[int]] = {}
    for row in rows:
        if "__parentId" in row:
            positions.setdefault(row["__parentId"], []).append(row["position"])
    return all(p == sorted(p) for p in positions.values())


async def test_ungrouped_shuffled_output_from_2026_01_unless_asked() -> None:
    async with (
        run_emulator(token="t", products=40, seed=3, bucket=1e6, restore_rate=1e5) as emu,
        aiohttp.ClientSession() as session,
    ):
        gql = make_call(emu, session)

        async def call(query: str, variables: Any = None, **kw: Any) -> Any:
            return await gql(query, variables, token="t", **kw)

        rows = await _export(call, session, "2026-10", None)
        assert not _grouped(rows) and _siblings_in_order(rows)
        ids = [r["id"] for r in rows]
        assert len(ids) == len(set(ids)) == 40 + emu.store.variant_count()
        index = {r["id"]: n for n, r in enumerate(rows)}
        before = sum(
            1 for r in rows if "__parentId" in r and index[r["__parentId"]] > index[r["id"]]
        )
        assert before > 0  # some children come before their parent
        assert _grouped(await _export(call, session, "2026-10", True))
        emu.clock.set(PRE_2026)
        assert _grouped(await _export(call, session, "2025-10", None))

    # The shuffle is seeded: the same store and seed give the same file.
    async with (
        run_emulator(token="t", products=40, seed=3) as again,
        aiohttp.ClientSession() as session,
    ):
        gql = make_call(again, session)
        repeat = await _export(
            lambda q, v=None, **kw: gql(q, v, token="t", **kw), session, "2026-10", None
        )
        assert [r["id"] for r in repeat] == ids


async def test_five_operations_at_once_then_limit_reached(gql: Call, emu: Emulator) -> None:
    emu.bulk.delay = 0.5
    started = []
    for _ in range(5):
        _, body = await gql(DEFAULT, {"q": EXPORT}, version="2026-01")
        assert body["data"]["bulkOperationRunQuery"]["userErrors"] == []
        started.append(body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"])
    _, body = await gql(DEFAULT, {"q": EXPORT}, version="2026-10")
    [error] = body["data"]["bulkOperationRunQuery"]["userErrors"]
    assert error["code"] == "LIMIT_REACHED"
    _, body = await gql(MUTATE, {"m": SET_MUTATION, "path": "x", "c": None})
    assert body["data"]["bulkOperationRunMutation"]["userErrors"][0]["code"] == "NO_SUCH_FILE"
    cancel = "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }"
    _, body = await gql(cancel, {"id": started[0]})
    assert body["data"]["bulkOperationCancel"]["userErrors"] == []
    emu.bulk.delay = 0
    assert (await wait_for_bulk(gql, started[0]))["status"] == "CANCELED"
    _, body = await gql(DEFAULT, {"q": EXPORT}, version="2026-10")
    assert body["data"]["bulkOperationRunQuery"]["userErrors"] == []  # a slot is free again


async def test_bulk_operation_queries_and_client_identifier(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    _, key = await staged_upload(gql, session, b'{"input": {"title": "A"}}\n')
    _, body = await gql(MUTATE, {"m": SET_MUTATION, "path": key, "c": "sigma-run-0001"})
    mutation_id = body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"]
    await wait_for_bulk(gql, mutation_id)
    emu.clock.advance(5)
    _, body = await gql(DEFAULT, {"q": EXPORT})
    query_id = body["data"]["bulkOperationRunQuery"]["bulkOperation"]["id"]
    await wait_for_bulk(gql, query_id)
    stored = emu.store.bulk_operations[int(mutation_id.rsplit("/", 1)[1])]
    assert stored.client_identifier == "sigma-run-0001"

    _, body = await gql("query($id: ID!) { bulkOperation(id: $id) { id type } }", {"id": query_id})
    assert body["data"]["bulkOperation"] == {"id": query_id, "type": "QUERY"}
    _, body = await gql(LIST)
    assert [n["id"] for n in body["data"]["bulkOperations"]["nodes"]] == [query_id, mutation_id]
    _, body = await gql(LIST, {"q": "operation_type:mutation status:completed"})
    assert [n["id"] for n in body["data"]["bulkOperations"]["nodes"]] == [mutation_id]
    _, body = await gql(LIST, {"q": "status:running"})
    assert body["data"]["bulkOperations"]["nodes"] == []
    _, body = await gql(LIST, {"q": "client_identifier:sigma-run-0001"})
    assert "client_identifier" in body["errors"][0]["message"]  # no such documented filter
    # 2027-01 (the release candidate today) requires 10 to 255 characters.
    emu.clock.set(datetime(2026, 11, 30, tzinfo=UTC))
    _, body = await gql(MUTATE, {"m": SET_MUTATION, "path": key, "c": "short"}, version="2027-01")
    [error] = body["data"]["bulkOperationRunMutation"]["userErrors"]
    assert error["field"] == ["clientIdentifier"]


async def test_upload_limit_per_version(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    big = b"x" * (20 * 1024 * 1024 + 1)
    emu.clock.set(PRE_2026)

    async def old(query: str, variables: Any = None, **kw: Any) -> Any:
        return await gql(query, variables, version="2025-10")

    status, _ = await staged_upload(old, session, big)
    assert status == 400  # 20 MB before 2026-01
    status, _ = await staged_upload(gql, session, big)
    assert status == 201  # 100 MB from 2026-01


async def test_upload_limit_is_configurable_and_answers_like_storage() -> None:
    async with (
        run_emulator(token="t", upload_limit=1000) as emu,
        aiohttp.ClientSession() as session,
    ):
        gql = make_call(emu, session)

        async def call(query: str, variables: Any = None, **kw: Any) -> Any:
            return await gql(query, variables, token="t", **kw)

        assert (await staged_upload(call, session, b"x" * 1000))[0] == 201
        _, body = await call(
            """mutation { stagedUploadsCreate(input: [{resource: BULK_MUTATION_VARIABLES,
            filename: "v.jsonl", mimeType: "text/jsonl", httpMethod: POST}]) {
            stagedTargets { url parameters { name value } } } }"""
        )
        [target] = body["data"]["stagedUploadsCreate"]["stagedTargets"]
        form = aiohttp.FormData()
        for parameter in target["parameters"]:
            form.add_field(parameter["name"], parameter["value"])
        form.add_field("file", b"x" * 1001, filename="v.jsonl", content_type="text/jsonl")
        async with session.post(target["url"], data=form) as response:
            assert response.status == 400
            text = await response.text()
        assert "<Code>EntityTooLarge</Code>" in text and "1000 bytes" in text


async def test_failed_and_canceled_operations_keep_partial_data(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    lines = "\n".join(json.dumps({"input": {"title": f"P{n}"}}) for n in range(6)).encode()
    _, key = await staged_upload(gql, session, lines)
    emu.bulk.fail_next(after_lines=3)
    _, body = await gql(MUTATE, {"m": SET_MUTATION, "path": key, "c": None})
    done = await wait_for_bulk(gql, body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"])
    assert done["status"] == "FAILED" and done["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert done["url"] is None and done["objectCount"] == "3"
    partial = await _rows(session, done["partialDataUrl"])
    assert [r["__lineNumber"] for r in partial] == [0, 1, 2]
    assert sorted(p.title for p in emu.store.products.values()) == ["P0", "P1", "P2"]

    emu.bulk.line_delay = 0.05
    _, body = await gql(MUTATE, {"m": SET_MUTATION, "path": key, "c": None})
    operation_id = body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"]
    while (await _poll(gql, operation_id))["objectCount"] == "0":
        await asyncio.sleep(0.01)
    cancel = "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }"
    await gql(cancel, {"id": operation_id})
    done = await wait_for_bulk(gql, operation_id)
    assert done["status"] == "CANCELED" and done["url"] is None
    partial = await _rows(session, done["partialDataUrl"])
    assert 0 < len(partial) < 6 and len(partial) == int(done["objectCount"])
    assert len(emu.store.products) == 3 + len(partial)


async def _poll(gql: Call, operation_id: str) -> dict[str, Any]:
    _, body = await gql(POLL, {"id": operation_id})
    node: dict[str, Any] = body["data"]["node"]
    return node


async def test_object_count_grows_while_an_operation_runs(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    lines = "\n".join(json.dumps({"input": {"title": f"P{n}"}}) for n in range(30)).encode()
    _, key = await staged_upload(gql, session, lines)
    emu.bulk.line_delay = 0.01
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": key})
    operation_id = body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"]
    counts = []
    while (node := await _poll(gql, operation_id))["status"] in ("CREATED", "RUNNING"):
        counts.append(int(node["objectCount"]))
        await asyncio.sleep(0.02)
    running = sorted(set(counts) - {0, 30})
    assert len(running) >= 3 and counts == sorted(counts)
    assert node["objectCount"] == "30"


async def test_result_links_expire_after_seven_days(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    _, key = await staged_upload(gql, session, b'{"input": {"title": "A"}}\n')
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": key})
    done = await wait_for_bulk(gql, body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"])
    assert len(await _rows(session, done["url"])) == 1
    emu.clock.advance(7 * 24 * 3600 - 60)
    assert len(await _rows(session, done["url"])) == 1
    emu.clock.advance(120)
    async with session.get(done["url"]) as response:
        assert response.status == 400
        assert "<Code>ExpiredToken</Code>" in await response.text()
    assert (await _poll(gql, done["id"]))["status"] == "EXPIRED"


async def test_a_lost_reply_still_starts_the_operation(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    _, key = await staged_upload(gql, session, b'{"input": {"title": "Once"}}\n')
    emu.faults.drop_after_commit("bulkOperationRunMutation")
    with pytest.raises(aiohttp.ClientError):
        await gql(MUTATE, {"m": SET_MUTATION, "path": key, "c": "sigma-run-0002"})
    _, body = await gql(LIST, {"q": "operation_type:mutation"})
    [found] = body["data"]["bulkOperations"]["nodes"]
    assert (await wait_for_bulk(gql, found["id"]))["status"] == "COMPLETED"
    assert [p.title for p in emu.store.products.values()] == ["Once"]


async def test_a_mutation_running_past_24_hours_fails_with_timeout(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    lines = "\n".join(json.dumps({"input": {"title": f"P{n}"}}) for n in range(40)).encode()
    _, key = await staged_upload(gql, session, lines)
    emu.bulk.line_delay = 0.02
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": key})
    operation_id = body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"]
    while (await _poll(gql, operation_id))["objectCount"] == "0":
        await asyncio.sleep(0.01)
    emu.clock.advance(24 * 3600 + 1)
    done = await wait_for_bulk(gql, operation_id)
    assert done["status"] == "FAILED" and done["errorCode"] == "TIMEOUT"
    partial = await _rows(session, done["partialDataUrl"])
    assert 0 < len(partial) < 40 and len(emu.store.products) == len(partial)


async def test_bulk_mutations_accept_any_mutation_but_not_bulk_ones(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    # "Faster bulk operations" (2025-12-15): bulk mutations accept any mutation, on all versions.
    await gql(SET_MUTATION, {"input": {"title": "Mug"}})
    [product] = emu.store.products.values()
    owner = f"gid://shopify/Product/{product.id}"
    metafield = {"ownerId": owner, "namespace": "custom", "key": "k"}
    metafield["type"] = "single_line_text_field"
    lines = [{"m": [{**metafield, "value": f"v{n}"}]} for n in range(2)]
    _, key = await staged_upload(gql, session, "\n".join(json.dumps(v) for v in lines).encode())
    metafields_set = """mutation call($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m)
      { metafields { value } userErrors { field message code } } }"""
    _, body = await gql(RUN_MUTATION, {"m": metafields_set, "path": key})
    done = await wait_for_bulk(gql, body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"])
    rows = await _rows(session, done["url"])
    assert [r["data"]["metafieldsSet"]["metafields"][0]["value"] for r in rows] == ["v0", "v1"]
    nested = """mutation { bulkOperationCancel(id: "gid://shopify/BulkOperation/1") {
      userErrors { message } } }"""
    _, body = await gql(RUN_MUTATION, {"m": nested, "path": key})
    assert body["data"]["bulkOperationRunMutation"]["userErrors"][0]["code"] == "INVALID_MUTATION"
