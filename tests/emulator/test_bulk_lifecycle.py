"""Bulk operations' lifecycle on the emulator, over HTTP: partial data of failed and canceled
operations, progress while one runs, expiring result links, a lost reply, the 24-hour limit,
which mutations a bulk operation accepts. (Output and limits: test_bulk_2026.py.)"""

import asyncio
import json
from typing import Any

import aiohttp
import pytest

from emulator.runner import Emulator
from tests.helpers.emulator_calls import (
    BULK_LIST,
    BULK_MUTATE,
    POLL,
    RUN_MUTATION,
    SET_MUTATION,
    Call,
    result_rows,
    staged_upload,
    wait_for_bulk,
)


async def test_failed_and_canceled_operations_keep_partial_data(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    lines = "\n".join(json.dumps({"input": {"title": f"P{n}"}}) for n in range(6)).encode()
    _, key = await staged_upload(gql, session, lines)
    emu.bulk.fail_next(after_lines=3)
    _, body = await gql(BULK_MUTATE, {"m": SET_MUTATION, "path": key, "c": None})
    done = await wait_for_bulk(gql, body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"])
    assert done["status"] == "FAILED" and done["errorCode"] == "INTERNAL_SERVER_ERROR"
    assert done["url"] is None and done["objectCount"] == "3"
    partial = await result_rows(session, done["partialDataUrl"])
    assert [r["__lineNumber"] for r in partial] == [0, 1, 2]
    assert sorted(p.title for p in emu.store.products.values()) == ["P0", "P1", "P2"]

    emu.bulk.line_delay = 0.05
    _, body = await gql(BULK_MUTATE, {"m": SET_MUTATION, "path": key, "c": None})
    operation_id = body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"]
    while (await _poll(gql, operation_id))["objectCount"] == "0":
        await asyncio.sleep(0.01)
    cancel = "mutation($id: ID!) { bulkOperationCancel(id: $id) { userErrors { message } } }"
    await gql(cancel, {"id": operation_id})
    done = await wait_for_bulk(gql, operation_id)
    assert done["status"] == "CANCELED" and done["url"] is None
    partial = await result_rows(session, done["partialDataUrl"])
    assert 0 < len(partial) < 6 and len(partial) == int(done["objectCount"])
    assert len(emu.store.products) == 3 + len(partial)


async def _poll(gql: Call, operation_id: str) -> dict[str, Any]:
    _, body = await gql(POLL, {"id": operation_id})
    node: dict[str, Any] = body["data"]["node"]
    return node


async def _slow_mutation(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession, products: int, line_delay: float
) -> str:
    """A productSet bulk mutation of `products` lines, each taking `line_delay` seconds: its id."""
    lines = "\n".join(json.dumps({"input": {"title": f"P{n}"}}) for n in range(products))
    _, key = await staged_upload(gql, session, lines.encode())
    emu.bulk.line_delay = line_delay
    _, body = await gql(RUN_MUTATION, {"m": SET_MUTATION, "path": key})
    return str(body["data"]["bulkOperationRunMutation"]["bulkOperation"]["id"])


async def test_object_count_grows_while_an_operation_runs(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    operation_id = await _slow_mutation(gql, emu, session, 30, 0.01)
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
    assert len(await result_rows(session, done["url"])) == 1
    emu.clock.advance(7 * 24 * 3600 - 60)
    assert len(await result_rows(session, done["url"])) == 1
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
        await gql(BULK_MUTATE, {"m": SET_MUTATION, "path": key, "c": "sigma-run-0002"})
    _, body = await gql(BULK_LIST, {"q": "operation_type:mutation"})
    [found] = body["data"]["bulkOperations"]["nodes"]
    assert (await wait_for_bulk(gql, found["id"]))["status"] == "COMPLETED"
    assert [p.title for p in emu.store.products.values()] == ["Once"]


async def test_a_mutation_running_past_24_hours_fails_with_timeout(
    gql: Call, emu: Emulator, session: aiohttp.ClientSession
) -> None:
    operation_id = await _slow_mutation(gql, emu, session, 40, 0.02)
    while (await _poll(gql, operation_id))["objectCount"] == "0":
        await asyncio.sleep(0.01)
    emu.clock.advance(24 * 3600 + 1)
    done = await wait_for_bulk(gql, operation_id)
    assert done["status"] == "FAILED" and done["errorCode"] == "TIMEOUT"
    partial = await result_rows(session, done["partialDataUrl"])
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
    rows = await result_rows(session, done["url"])
    assert [r["data"]["metafieldsSet"]["metafields"][0]["value"] for r in rows] == ["v0", "v1"]
    nested = """mutation { bulkOperationCancel(id: "gid://shopify/BulkOperation/1") {
      userErrors { message } } }"""
    _, body = await gql(RUN_MUTATION, {"m": nested, "path": key})
    assert body["data"]["bulkOperationRunMutation"]["userErrors"][0]["code"] == "INVALID_MUTATION"
