"""`sigma serve` and `sigma worker` as real subprocesses, for the multi-process tests and bench."""

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import text

from db.engine import SessionFactory
from tests.helpers.http import async_client
from tests.helpers.live import SECRET, TOKEN

ROOT = Path(__file__).resolve().parents[2]


def service_env(database_url: str, shopify_base_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SIGMA_DATABASE_URL": database_url,
        "SIGMA_API_TOKEN": TOKEN,
        "SIGMA_SECRET_KEY": SECRET,
        "SIGMA_SHOPIFY_BASE_URL": shopify_base_url,
        "SIGMA_RUN_MODE": "queue",
        # The emulator finishes a bulk operation in milliseconds; a second between reads would
        # be most of a run's time here.
        "SIGMA_BULK_POLL_SECONDS": "0.05",
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Process:
    name: str
    proc: asyncio.subprocess.Process
    log: Path

    def kill(self) -> None:
        """kill -9: no handler runs, no heartbeat is sent again."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)

    async def wait(self, timeout: float = 30) -> int:
        return await asyncio.wait_for(self.proc.wait(), timeout)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


async def _spawn(name: str, args: list[str], env: dict[str, str], logs: Path) -> Process:
    log = logs / f"{name}.log"
    with log.open("wb") as sink:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "graph.cli", *args, env=env, cwd=logs, stdout=sink, stderr=sink
        )
    return Process(name, proc, log)


async def start_api(
    name: str, env: dict[str, str], logs: Path, timeout: float = 90
) -> tuple[Process, str]:
    port = free_port()
    process = await _spawn(name, ["serve", "--port", str(port)], env, logs)
    url = f"http://127.0.0.1:{port}"
    deadline = asyncio.get_running_loop().time() + timeout
    async with async_client() as client:
        while asyncio.get_running_loop().time() < deadline:
            if process.proc.returncode is not None:
                raise RuntimeError(f"{name} exited: {process.output()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{url}/healthz")).status_code == 200:
                    return process, url
            await asyncio.sleep(0.05)
    # Not yet in the caller's processes() list: stop it here, or it outlives the test.
    process.kill()
    await process.wait()
    raise RuntimeError(f"{name} did not answer: {process.output()}")


async def start_worker(
    name: str,
    env: dict[str, str],
    logs: Path,
    concurrency: int = 2,
    heartbeat: float = 1.0,
    stalled_after: float = 5.0,
    shutdown_timeout: float = 10.0,
    tick_seconds: int = 1,
) -> Process:
    args = ["worker", "--concurrency", str(concurrency), "--heartbeat", str(heartbeat)]
    args += ["--stalled-after", str(stalled_after), "--shutdown-timeout", str(shutdown_timeout)]
    args += ["--tick-seconds", str(tick_seconds)]
    return await _spawn(name, args, env, logs)


@contextlib.asynccontextmanager
async def processes() -> AsyncIterator[list[Process]]:
    """Every process started into the list is stopped at the end (SIGTERM, then SIGKILL)."""
    started: list[Process] = []
    try:
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                await process.wait(15)
            except TimeoutError:
                process.kill()
                await process.wait()


async def workers_ready(sessions: SessionFactory, count: int, timeout: float) -> None:
    """Until `count` workers have registered with Procrastinate (their start parses Shopify's
    schema first, which takes seconds)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with sessions() as session:
            found = await session.execute(text("SELECT count(*) FROM procrastinate_workers"))
            if found.scalar_one() >= count:
                return
        assert asyncio.get_running_loop().time() < deadline, "the workers did not start"
        await asyncio.sleep(0.1)
