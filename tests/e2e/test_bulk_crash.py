"""A server killed (kill -9) while its bulk push runs; restarted, the push run again applies
every item once: the leftover operation is found by its name and cancelled, its lines re-sent
as upserts, and no product is created twice."""

import asyncio
import os
import signal
from pathlib import Path

from tests.helpers.live import SECRET, TOKEN
from tests.helpers.server_process import push, serve
from tests.helpers.stack import stack

ITEMS = 260  # past the default bulk threshold (250): the push runs as a bulk operation


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
        server, server_url = await serve(env)
        try:
            crashed = await push(server_url, s.channel_id, wait=False)
            operations = s.emulator.store.bulk_operations
            # Polled, with a deadline generous enough for a loaded machine: the new process
            # imports the app and parses Shopify's schema before its first bulk operation.
            deadline = asyncio.get_running_loop().time() + 120
            while not any(op.type == "MUTATION" for op in operations.values()):
                assert asyncio.get_running_loop().time() < deadline, "no bulk operation started"
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
        server, server_url = await serve(env)
        try:
            log = await push(server_url, s.channel_id, wait=True)
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
