"""A server killed (kill -9) while its bulk push runs; restarted, the push run again applies
every item once: the leftover operation is found by its name and cancelled, its lines re-sent
as upserts, and no product is created twice."""

import asyncio
import contextlib
import os
import signal
import socket
import sys
from pathlib import Path
from typing import Any

import httpx

from tests.helpers.live import SECRET, TOKEN
from tests.helpers.stack import START, stack

SIGMA = str(Path(sys.executable).with_name("sigma"))
ITEMS = 260  # past the default bulk threshold (250): the push runs as a bulk operation


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _serve(env: dict[str, str]) -> tuple[asyncio.subprocess.Process, str]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        SIGMA, "serve", "--port", str(port), env=env, stdout=asyncio.subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as client:
        for _ in range(600):
            with_answer = None
            with contextlib.suppress(httpx.TransportError):
                with_answer = await client.get(f"{url}/healthz")
            if with_answer is not None and with_answer.status_code < 500:
                return process, url
            await asyncio.sleep(0.05)
    process.kill()
    raise AssertionError("sigma serve did not start")


async def _push(url: str, channel_id: str, wait: bool) -> dict[str, Any]:
    async with httpx.AsyncClient(timeout=120) as client:
        response = await client.post(
            f"{url}/graphql",
            json={"query": START, "variables": {"c": channel_id, "ids": None, "wait": wait}},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["push"]
    assert payload["userErrors"] == [], payload
    return payload["syncLog"]


async def test_a_server_killed_during_a_bulk_push_applies_every_item_once_after_restart(
    tmp_path: Path,
) -> None:
    database = tmp_path / "crash.db"
    url = f"sqlite+aiosqlite:///{database}"
    # Operations wait 20 s before they run: the kill and the restart both fall inside the first.
    async with stack(url, bulk_delay=20.0) as s:
        for n in range(ITEMS):
            await s.create_entity(name=f"Crash {n}", price="3.00", sku=f"CR-{n}")
        env = {
            **os.environ,
            "SIGMA_DATABASE_URL": url,
            "SIGMA_API_TOKEN": TOKEN,
            "SIGMA_SECRET_KEY": SECRET,
            "SIGMA_SHOPIFY_BASE_URL": s.emulator.base_url,
        }
        server, server_url = await _serve(env)
        try:
            crashed = await _push(server_url, s.channel_id, wait=False)
            operations = s.emulator.store.bulk_operations
            for _ in range(2000):
                if any(op.type == "MUTATION" for op in operations.values()):
                    break
                await asyncio.sleep(0.01)
            [leftover] = [op for op in operations.values() if op.type == "MUTATION"]
        finally:
            server.send_signal(signal.SIGKILL)
            await server.wait()
        assert leftover.status in {"CREATED", "RUNNING"}
        assert len(s.emulator.store.products) == 0

        async def speed_up_once_cancelled() -> None:
            # Operations started after the leftover's cancellation run at once.
            while leftover.status not in {"CANCELING", "CANCELED"}:
                await asyncio.sleep(0.01)
            s.emulator.bulk.delay = 0.2

        watcher = asyncio.create_task(speed_up_once_cancelled())

        # The killed process's run blocks its channel no longer than the next start of a server
        # on this host: that server sees the run's owner (pid and start time) gone and fails it.
        server, server_url = await _serve(env)
        try:
            log = await _push(server_url, s.channel_id, wait=True)
        finally:
            server.send_signal(signal.SIGTERM)
            await server.wait()
            watcher.cancel()

        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", ITEMS, 0), log
        assert log["details"].get("bulkOperationsCanceled") == [
            f"gid://shopify/BulkOperation/{leftover.id}"
        ], (log["details"], leftover)
        assert leftover.status == "CANCELED"
        products = list(s.emulator.store.products.values())
        assert len(products) == ITEMS  # every item once: nothing created twice
        assert sorted(p.title for p in products) == sorted(f"Crash {n}" for n in range(ITEMS))
        body = await s.api.gql(
            "query($id: ID!) { syncLog(id: $id) { status errors { message } } }",
            {"id": crashed["id"]},
        )
        closed = body["data"]["syncLog"]
        assert closed["status"] == "FAILED"
        assert "no longer exists" in closed["errors"][0]["message"]
        again = (await s.run("push"))["syncLog"]
        assert (again["status"], again["pushed"], again["failed"]) == ("SUCCESS", 0, 0)
