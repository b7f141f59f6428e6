"""The measured case of issue 13, point 5, in seconds: a server stopped (SIGSTOP) mid-push past
its run's lease, a new run of the channel started through another server, then the stopped
server resumed beside it. The old process writes nothing more, neither to the database nor to
Shopify; the new run ends SUCCESS with every mapping, and no product exists twice."""

import asyncio
import os
import signal
from pathlib import Path
from typing import Any

from tests.helpers.live import SECRET, TOKEN
from tests.helpers.server_process import push, serve, warm_up
from tests.helpers.stack import Stack, stack

ITEMS = 60  # under the bulk threshold: the per-item path, many productSet calls in flight
LEASE = 6.0  # SIGMA_RUN_LEASE_SECONDS for both servers, instead of 60


async def _log(s: Stack, log_id: str) -> dict[str, Any]:
    body = await s.api.gql(
        "query($id: ID!) { syncLog(id: $id) { status pushed skipped failed "
        "errors { message } details } }",
        {"id": log_id},
    )
    log: dict[str, Any] = body["data"]["syncLog"]
    return log


async def _until(check: Any, timeout: float = 60.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.05)


async def _mappings(s: Stack) -> list[tuple[str, str]]:
    body = await s.api.gql(
        "query($c: ID!) { syncMappings(channelId: $c, first: 250) "
        "{ nodes { entityId externalId } } }",
        {"c": s.channel_id},
    )
    nodes = body["data"]["syncMappings"]["nodes"]
    return sorted((n["entityId"], n["externalId"]) for n in nodes)


async def test_a_process_stalled_past_its_lease_writes_nothing_beside_the_new_run(
    postgres_url: str, tmp_path: Path
) -> None:
    # PostgreSQL only: stopped inside a write transaction (a mapping flush, a heartbeat), a
    # process keeps SQLite's write lock, a file lock, and every other process waits until it
    # resumes: several servers on one database are a PostgreSQL setup.
    database_url = postgres_url
    async with stack(database_url) as s:
        entity_ids = [
            await s.create_entity(name=f"Fence {n}", price="4.00", sku=f"FE-{n}")
            for n in range(ITEMS)
        ]
        # Slow enough that the push is in the middle of its items when the server is stopped.
        s.emulator.faults.configure(latency=0.15)
        env = {
            **os.environ,
            "SIGMA_DATABASE_URL": database_url,
            "SIGMA_API_TOKEN": TOKEN,
            "SIGMA_SECRET_KEY": SECRET,
            "SIGMA_SHOPIFY_BASE_URL": s.emulator.base_url,
            "SIGMA_RUN_LEASE_SECONDS": str(LEASE),
        }
        old_errors = tmp_path / "old.stderr"
        new_errors = tmp_path / "new.stderr"
        with old_errors.open("wb") as old_stderr, new_errors.open("wb") as new_stderr:
            old, old_url = await serve(env, old_stderr)
            new = None
            try:
                await warm_up(old_url, s.channel_id)
                stalled = await push(old_url, s.channel_id, wait=False)

                async def some_pushed() -> bool:
                    return len(s.emulator.store.products) >= 10

                await _until(some_pushed)
                old.send_signal(signal.SIGSTOP)
                lease_over = asyncio.get_running_loop().time() + LEASE + 0.5
                await asyncio.sleep(0.5)  # requests already sent are answered meanwhile
                product_sets_before = s.emulator.stats.requests["productSet"]
                created_before = len(s.emulator.store.products)
                assert created_before < ITEMS

                new, new_url = await serve(env, new_stderr)
                await warm_up(new_url, s.channel_id)
                # the old run's lease runs out
                await asyncio.sleep(lease_over - asyncio.get_running_loop().time())
                taking_over = await push(new_url, s.channel_id, wait=False)
                assert taking_over["id"] != stalled["id"]
                closed = await _log(s, stalled["id"])
                assert closed["status"] == "FAILED", closed

                async def new_run_underway() -> bool:
                    return (await _log(s, taking_over["id"]))["pushed"] >= 5

                await _until(new_run_underway)
                old.send_signal(signal.SIGCONT)  # resumes beside the new run

                async def finished() -> bool:
                    return (await _log(s, taking_over["id"]))["status"] != "RUNNING"

                await _until(finished)
                # The old process has woken and noticed it lost the lease before we look.
                await asyncio.sleep(1.0)
            except BaseException:
                print("old server:", old_errors.read_text(), "new server:", new_errors.read_text())
                raise
            finally:
                old.send_signal(signal.SIGCONT)
                for process in (old, new):
                    if process is not None:
                        process.send_signal(signal.SIGTERM)
                        await process.wait()
        s.emulator.faults.reset()

        done = await _log(s, taking_over["id"])
        assert (done["status"], done["failed"]) == ("SUCCESS", 0), done
        assert done["pushed"] + done["skipped"] == ITEMS, done
        # The old run's log is as its takeover left it: the old process did not rewrite it.
        assert await _log(s, stalled["id"]) == closed
        assert "interrupted" in closed["errors"][0]["message"]

        # No productSet but the new run's since the stop; every entity once in the store.
        assert s.emulator.stats.requests["productSet"] == product_sets_before + done["pushed"]
        products = list(s.emulator.store.products.values())
        assert sorted(p.title for p in products) == sorted(f"Fence {n}" for n in range(ITEMS))
        mappings = await _mappings(s)
        assert sorted(entity for entity, _ in mappings) == sorted(entity_ids)
        assert {product for _, product in mappings} == {
            f"gid://shopify/Product/{p.id}" for p in products
        }

        old_log = old_errors.read_text()
        assert f"sync run {stalled['id']} stops:" in old_log, old_log
        assert "Traceback" not in old_log and "IntegrityError" not in old_log, old_log
        assert "Traceback" not in new_errors.read_text()
