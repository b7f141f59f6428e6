"""No request stalls the others: while oversized and expensive operations arrive, /healthz
keeps answering within 100 ms (issue 10: a 600 KB query stalled everything for 9.6 s)."""

import asyncio
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import httpx

from tests.helpers.abuse import abuse
from tests.helpers.fuzz_server import TOKEN, fuzz_server

ABUSERS = 4
SECONDS = 5.0


async def test_health_answers_within_100_ms_while_abusive_operations_arrive(
    tmp_path: Path,
) -> None:
    loop = asyncio.get_running_loop()
    spawn = multiprocessing.get_context("spawn")
    with (
        fuzz_server(f"sqlite+aiosqlite:///{tmp_path / 'abuse.db'}", tmp_path) as server,
        ProcessPoolExecutor(ABUSERS, mp_context=spawn) as pool,
    ):
        abusers = [
            loop.run_in_executor(pool, abuse, server.url, TOKEN, SECONDS) for _ in range(ABUSERS)
        ]
        latencies = []
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as health:
            await asyncio.sleep(1.0)  # the abusers' processes start
            until = time.monotonic() + SECONDS - 1.5
            while time.monotonic() < until:
                started = time.perf_counter()
                response = await health.get("/healthz")
                latencies.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200
                await asyncio.sleep(0.02)
        sent = sum(await asyncio.gather(*abusers))
    latencies.sort()
    print(f"abusive requests: {sent}; /healthz ms: median {latencies[len(latencies) // 2]:.1f}, "
          f"max {latencies[-1]:.1f} over {len(latencies)}")  # fmt: skip
    assert sent > 20
    # The target is every answer within 100 ms. On a shared 2-core CI machine the scheduler
    # alone can hold a process back longer now and then, so one sample in twenty may exceed
    # it; none may come near the seconds an unbounded operation cost (issue 10: 9.6 s).
    assert latencies[int(len(latencies) * 0.95) - 1] < 100, latencies[-5:]
    assert latencies[-1] < 250, latencies[-5:]
