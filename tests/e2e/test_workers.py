"""Runs as Procrastinate jobs (PostgreSQL): the API only enqueues, `sigma worker` subprocesses
execute, over real HTTP against the emulator."""

import asyncio
from pathlib import Path

from sqlalchemy import text

from db.settings import RunMode
from tests.helpers.processes import processes, service_env, start_worker, workers_ready
from tests.helpers.stack import Stack, stack
from tests.helpers.webhooks import (
    CLIENT_SECRET,
    FAST,
    delete_in_shopify,
    reconciling_pull,
    runs,
    subscribe_in_emulator,
)


async def _queued_jobs(s: Stack, log_id: str) -> list[str]:
    async with s.sessions() as session:
        rows = await session.execute(
            text("SELECT status FROM procrastinate_jobs WHERE args->>'log_id' = :id"),
            {"id": log_id},
        )
        return [str(row[0]) for row in rows]


async def test_the_api_enqueues_and_a_worker_runs(postgres_url: str, tmp_path: Path) -> None:
    async with stack(postgres_url, run_mode=RunMode.QUEUE) as s, processes() as started:
        for index in range(3):
            await s.create_entity(name=f"Mug {index}", sku=f"Q-MUG-{index}", price="12.50")
        first = await s.run("push", wait=False)
        log_id = first["syncLog"]["id"]
        assert first["syncLog"]["status"] == "RUNNING"
        # No worker yet: the run waits in the queue, and the channel is taken all the same.
        assert await _queued_jobs(s, log_id) == ["todo"]
        second = await s.run("push", wait=False)
        assert [e["code"] for e in second["userErrors"]] == ["SYNC_IN_PROGRESS"]
        assert second["syncLog"]["id"] == log_id

        started.append(
            await start_worker("worker", service_env(postgres_url, s.emulator.base_url), tmp_path)
        )
        await workers_ready(s.sessions, 1, timeout=180)
        done = await s.wait_for(log_id)
        assert done["status"] == "SUCCESS", started[0].output()
        assert done["pushed"] == 3
        # The API process executed nothing itself.
        assert s.api.app.app.state.services.runner.running() == []

        await s.update_entity((await s.entities())[0]["id"], price="13.00")
        waited = await s.run("push", wait=True)
        assert waited["syncLog"]["status"] == "SUCCESS", waited
        assert waited["syncLog"]["pushed"] == 1


async def _running_log(s: Stack, timeout: float) -> tuple[str, str]:
    """(log id, worker) of a run a worker is executing past its start."""
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with s.sessions() as session:
            found = await session.execute(
                text(
                    "SELECT id, details->>'worker' FROM sync_log WHERE status = 'RUNNING' "
                    "AND details->>'worker' IS NOT NULL AND phase <> 'STARTING'"
                )
            )
            row = found.first()
        if row is not None:
            return str(row[0]), str(row[1])
        await asyncio.sleep(0.02)
    raise AssertionError("no run started on a worker")


async def test_sigterm_hands_a_run_back_to_another_worker(
    postgres_url: str, tmp_path: Path
) -> None:
    async with stack(postgres_url, run_mode=RunMode.QUEUE) as s, processes() as started:
        env = service_env(postgres_url, s.emulator.base_url)
        for name in ("a", "b"):
            started.append(await start_worker(name, env, tmp_path, shutdown_timeout=0))
        for index in range(4):
            await s.create_entity(name=f"Cup {index}", sku=f"T-CUP-{index}", price="3.00")
        await workers_ready(s.sessions, 2, timeout=180)
        s.emulator.faults.configure(latency=0.3)
        first = await s.run("push", wait=False)
        log_id, owner = await _running_log(s, timeout=60)
        assert log_id == first["syncLog"]["id"]
        stopping = next(p for p in started if owner.endswith(f":{p.proc.pid}"))
        stopping.terminate()
        assert await stopping.wait() == 0
        s.emulator.faults.configure(latency=0.0)

        handed = await s.wait_for(log_id)
        assert handed["status"] == "FAILED"
        body = await s.api.gql(
            "query($c: ID!) { syncLogs(channelId: $c) { nodes { id status errors { message } "
            "details } } }",
            {"c": s.channel_id},
        )
        nodes = body["data"]["syncLogs"]["nodes"]
        old = next(n for n in nodes if n["id"] == log_id)
        assert old["errors"][0]["message"].startswith(
            "the worker running this run shut down before it finished; the run continues as"
        )
        successor = next(n for n in nodes if n["details"].get("retryOf") == log_id)
        done = await s.wait_for(successor["id"])
        assert done["status"] == "SUCCESS", done
        assert len(s.emulator.store.products) == 4


async def test_webhook_pulls_and_reconciliations_run_on_a_worker(
    postgres_url: str, tmp_path: Path
) -> None:
    async with (
        stack(postgres_url, run_mode=RunMode.QUEUE, webhooks=FAST) as s,
        processes() as started,
    ):
        env = service_env(postgres_url, s.emulator.base_url)
        started.append(await start_worker("worker", env, tmp_path))
        await s.set_channel(webhookSecret=CLIENT_SECRET)
        mug = await s.create_entity(name="Mug", sku="W-MUG", price="12.50")
        cup = await s.create_entity(name="Cup", sku="W-CUP", price="3.00")
        await workers_ready(s.sessions, 1, timeout=180)
        assert (await s.run("push"))["syncLog"]["pushed"] == 2
        mapped = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        products = {m["entityId"]: m["externalId"] for m in mapped}

        # A Shopify edit: the API stores the webhook, its targeted pull is a worker's job.
        await subscribe_in_emulator(s)
        loop = asyncio.get_running_loop()
        edited = loop.time()
        await s.rename_in_shopify(products[mug], "Big mug")
        while (await s.entity(mug))["name"] != "Big mug":
            assert loop.time() - edited < 5.0, started[0].output()
            await asyncio.sleep(0.05)
        targeted = next(log for log in await runs(s) if log["direction"] == "PULL")
        assert targeted["details"]["pullMode"] == "targeted"
        assert targeted["details"]["worker"].endswith(f":{started[0].proc.pid}")

        # A deletion no webhook reports (the subscriptions are gone): a reconciliation, also
        # executed by the worker, finds it.
        s.emulator.webhooks.subscriptions.clear()
        await delete_in_shopify(s, products[cup])
        log = await reconciling_pull(s)
        assert log["status"] == "SUCCESS", log
        assert log["details"]["reconciled"] is True
        assert log["details"]["remoteDeletions"] == {"policy": "UNLINK", "applied": 1}
        assert log["details"]["worker"].endswith(f":{started[0].proc.pid}")
        assert s.api.app.app.state.services.runner.running() == []
        mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        assert [m["entityId"] for m in mappings] == [mug]
        assert (await s.entity(cup))["name"] == "Cup"  # UNLINK keeps the entity
