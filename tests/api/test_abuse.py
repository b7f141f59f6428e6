"""No request stalls the others: while oversized and expensive operations arrive, /healthz
keeps answering within 100 ms (issue 10: a 600 KB query stalled everything for 9.6 s)."""

import asyncio
import gc
import sys
import time
from pathlib import Path

from tests.helpers.fuzz_server import TOKEN, fuzz_server
from tests.helpers.http import async_client

ABUSERS = 4
SECONDS = 5.0


async def test_health_answers_within_100_ms_while_abusive_operations_arrive(
    tmp_path: Path,
) -> None:
    with fuzz_server(f"sqlite+aiosqlite:///{tmp_path / 'abuse.db'}", tmp_path) as server:
        # Separate processes send the abuse, so this process only measures.
        script = (
            "import sys; from tests.helpers.abuse import abuse; "
            f"print(abuse({server.url!r}, {TOKEN!r}, {SECONDS}))"
        )
        abusers = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-c", script, stdout=asyncio.subprocess.PIPE
            )
            for _ in range(ABUSERS)
        ]
        latencies = []
        gc.collect()
        gc.disable()  # a collection in this process would be counted as the server's delay
        try:
            async with async_client(base_url=server.url, timeout=5) as health:
                await asyncio.sleep(1.5)  # the abusers' interpreters start
                until = time.monotonic() + SECONDS - 2.0
                while time.monotonic() < until:
                    started = time.perf_counter()
                    response = await health.get("/healthz")
                    latencies.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200
                    await asyncio.sleep(0.02)
        finally:
            gc.enable()
        outputs = [await process.communicate() for process in abusers]
    assert all(process.returncode == 0 for process in abusers)
    sent = sum(int(out.decode().strip() or 0) for out, _ in outputs)
    latencies.sort()
    print(f"abusive requests: {sent}; /healthz ms: median {latencies[len(latencies) // 2]:.1f}, "
          f"max {latencies[-1]:.1f} over {len(latencies)}")  # fmt: skip
    assert sent > 20
    # The target is every answer within 100 ms. On a shared 2-core CI machine the scheduler
    # alone can hold a process back longer now and then, so one sample in twenty may exceed
    # it; none may come near the seconds an unbounded operation cost (issue 10: 9.6 s).
    assert latencies[int(len(latencies) * 0.95) - 1] < 100, latencies[-5:]
    assert latencies[-1] < 250, latencies[-5:]
