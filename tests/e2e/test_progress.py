"""Live progress: a UI polling syncLog(id) sees the run move, whatever the path."""

import asyncio
from typing import Any

from sync.run import BulkMode, RunOptions
from tests.helpers.stack import Stack, stack

POLL = """query($id: ID!) {
  syncLog(id: $id) { status phase total bulkOperationId pushed pulled skipped failed } }"""
ITEMS = 40
BULK_ITEMS = 100
MAPPINGS = "query($c: ID!) { syncMappings(channelId: $c, first: 1) { totalCount } }"


async def _poll(s: Stack, log_id: str, every: float = 0.1) -> list[dict[str, Any]]:
    """Every answer until the run ends, each with the mappings stored when it was read."""
    seen: list[dict[str, Any]] = []
    deadline = asyncio.get_running_loop().time() + 120
    while asyncio.get_running_loop().time() < deadline:
        log = (await s.api.gql(POLL, {"id": log_id}))["data"]["syncLog"]
        # read after the log, so it holds at least the mappings of what the log counted
        mappings = (await s.api.gql(MAPPINGS, {"c": s.channel_id}))["data"]["syncMappings"]
        seen.append({**log, "mappings": mappings["totalCount"]})
        if log["status"] != "RUNNING":
            return seen
        await asyncio.sleep(every)
    raise AssertionError("the run did not finish")


async def test_per_item_push_counters_rise_while_it_runs(database_url: str) -> None:
    # 40 items, 4 at a time, 150 ms a request: about three seconds of pushing, in which the
    # log is written every half second (sync.recorder) and read every tenth.
    async with stack(database_url, runner={"options": RunOptions(concurrency=4)}) as s:
        for n in range(ITEMS):
            await s.create_entity(name=f"Item {n}", sku=f"SKU-{n}", price="9.99")
        s.emulator.faults.configure(latency=0.15)
        started = await s.run("push", wait=False)
        seen = await _poll(s, started["syncLog"]["id"])

    final = seen[-1]
    assert final["status"] == "SUCCESS" and final["pushed"] == ITEMS, final
    assert final["phase"] == "DONE" and final["total"] == ITEMS
    running = [log for log in seen if log["status"] == "RUNNING"]
    moving = sorted({log["pushed"] for log in running if 0 < log["pushed"] < ITEMS})
    assert len(moving) >= 3, [(log["phase"], log["pushed"]) for log in seen]
    # The counters never go back, and the log never counts a push whose mapping is not saved
    # (the mapping count is read after the log).
    pushed = [log["pushed"] for log in seen]
    assert pushed == sorted(pushed)
    assert all(log["mappings"] >= log["pushed"] for log in seen), [
        (log["pushed"], log["mappings"]) for log in seen
    ]
    assert "PUSHING" in {log["phase"] for log in running}
    assert any(log["total"] == ITEMS for log in running)


async def test_bulk_push_counters_move_before_the_operation_ends(database_url: str) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode.ALWAYS)}) as s:
        for n in range(BULK_ITEMS):
            await s.create_entity(name=f"Item {n}", sku=f"SKU-{n}", price="9.99")
        # Shopify runs an import's lines over minutes; 20 ms a line makes this one take ~2 s.
        s.emulator.bulk.line_delay = 0.02
        started = await s.run("push", wait=False)
        seen = await _poll(s, started["syncLog"]["id"])

    final = seen[-1]
    assert final["status"] == "SUCCESS" and final["pushed"] == BULK_ITEMS, final
    assert final["total"] == BULK_ITEMS and final["phase"] == "DONE"
    assert str(final["bulkOperationId"]).startswith("gid://shopify/BulkOperation/")
    # (a first push may read the whole store in a bulk query first, to link existing products)
    waiting = [
        log
        for log in seen
        if log["phase"] == "WAITING_FOR_SHOPIFY"
        and log["bulkOperationId"] == final["bulkOperationId"]
    ]
    assert waiting, [(log["phase"], log["bulkOperationId"]) for log in seen]
    moving = sorted({log["pushed"] for log in waiting if 0 < log["pushed"] < BULK_ITEMS})
    assert len(moving) >= 2, [(log["phase"], log["pushed"]) for log in seen]
    pushed = [log["pushed"] + log["failed"] for log in seen]
    assert pushed == sorted(pushed)


async def test_bulk_pull_reports_its_operation_and_total(database_url: str) -> None:
    async with stack(database_url, products=120) as s:
        # The export is one window of the emulator's; it waits 0.5 s before it starts and again
        # before it works, so the run spends a second waiting for Shopify (the log is written
        # every half second).
        s.emulator.bulk.delay = 0.5
        started = await s.run("pull", wait=False)
        seen = await _poll(s, started["syncLog"]["id"])

    final = seen[-1]
    assert final["status"] == "SUCCESS" and final["pulled"] == 120, final
    assert final["total"] == 120
    assert str(final["bulkOperationId"]).startswith("gid://shopify/BulkOperation/")
    assert "WAITING_FOR_SHOPIFY" in {log["phase"] for log in seen}


async def test_a_bulk_push_of_edits_shows_the_operation_its_in_place_writes_wait_for(
    database_url: str,
) -> None:
    async with stack(database_url, runner={"options": RunOptions(bulk=BulkMode.ALWAYS)}) as s:
        ids = [
            await s.create_entity(name=f"Item {n}", sku=f"SKU-{n}", price="9.99")
            for n in range(BULK_ITEMS)
        ]
        assert (await s.run("push"))["syncLog"]["pushed"] == BULK_ITEMS
        for entity_id in ids:  # every price: productSet lines, then variant lines
            await s.update_entity(entity_id, price="10.99")
        s.emulator.bulk.line_delay = 0.01
        started = await s.run("push", wait=False)
        seen = await _poll(s, started["syncLog"]["id"])

    final = seen[-1]
    assert (final["status"], final["pushed"]) == ("SUCCESS", BULK_ITEMS), final
    waited_for = [log["bulkOperationId"] for log in seen if log["phase"] == "WAITING_FOR_SHOPIFY"]
    # the productSet operation, then the one of the variants' lines: both shown while they ran
    assert len(set(waited_for)) == 2, [(log["phase"], log["bulkOperationId"]) for log in seen]
    assert waited_for[-1] == final["bulkOperationId"]
    pushed = [log["pushed"] for log in seen]
    assert pushed == sorted(pushed)
