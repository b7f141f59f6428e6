"""A scheduled channel gets a bidirectional run against the emulator from the server's own
scheduler loop, once its next run time has come on the (test-controlled) clock."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from db.clock import parse_iso
from tests.helpers.schedules import MovableClock
from tests.helpers.stack import Stack, stack

CHANNEL = "query($id: ID!) { channel(id: $id) { syncSchedule nextSyncAt } }"
LOGS = """query($c: ID!) { syncLogs(channelId: $c) { nodes { id status direction pushed } } }"""


async def _logs(s: Stack) -> list[dict[str, Any]]:
    body = await s.api.gql(LOGS, {"c": s.channel_id})
    nodes: list[dict[str, Any]] = body["data"]["syncLogs"]["nodes"]
    return nodes


async def _first_log(s: Stack, timeout: float = 30) -> dict[str, Any]:
    deadline = asyncio.get_running_loop().time() + timeout
    while not (logs := await _logs(s)):
        assert asyncio.get_running_loop().time() < deadline, "the schedule never fired"
        await asyncio.sleep(0.05)
    return logs[0]


async def test_a_scheduled_channel_is_synced_when_its_time_comes(database_url: str) -> None:
    clock = MovableClock(datetime.now(UTC))
    async with stack(database_url, schedule={"schedule_interval": 0.05, "clock": clock}) as s:
        await s.create_entity(name="Scheduled mug", price="4.00", sku="SCHED-1")
        await s.set_channel(syncSchedule="every 5m")
        channel = (await s.api.gql(CHANNEL, {"id": s.channel_id}))["data"]["channel"]
        due = parse_iso(channel["nextSyncAt"])

        clock.now = due - timedelta(seconds=1)
        await clock.passes(3)
        assert await _logs(s) == []

        clock.now = due + timedelta(seconds=2)
        started = await _first_log(s)
        assert started["direction"] == "BIDIRECTIONAL"
        finished = await s.wait_for(started["id"])
        assert (finished["status"], finished["pushed"]) == ("SUCCESS", 1), finished
        assert [p.title for p in s.emulator.store.products.values()] == ["Scheduled mug"]

        after = (await s.api.gql(CHANNEL, {"id": s.channel_id}))["data"]["channel"]
        assert parse_iso(after["nextSyncAt"]) == due + timedelta(minutes=5)
        assert len(await _logs(s)) == 1
