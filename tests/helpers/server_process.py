"""`sigma serve` as a separate process, for tests that kill, stop or restart a server."""

import asyncio
import contextlib
import socket
import sys
from pathlib import Path
from typing import IO, Any

import httpx

from tests.helpers.http import async_client
from tests.helpers.live import TOKEN
from tests.helpers.stack import START

SIGMA = str(Path(sys.executable).with_name("sigma"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def serve(
    env: dict[str, str], stderr: IO[bytes] | None = None
) -> tuple[asyncio.subprocess.Process, str]:
    """Start `sigma serve` on a free port; returns once /healthz answers. Its runs execute in
    the server process, on PostgreSQL too, unless `env` says otherwise (SIGMA_RUN_MODE)."""
    env = {"SIGMA_RUN_MODE": "embedded", **env}
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        SIGMA,
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )
    url = f"http://127.0.0.1:{port}"
    async with async_client() as client:
        for _ in range(600):
            with_answer = None
            with contextlib.suppress(httpx.TransportError):
                with_answer = await client.get(f"{url}/healthz")
            if with_answer is not None and with_answer.status_code < 500:
                return process, url
            await asyncio.sleep(0.05)
    process.kill()
    raise AssertionError("sigma serve did not start")


async def push(url: str, channel_id: str, wait: bool) -> dict[str, Any]:
    """A push through that server's GraphQL API; returns its syncLog."""
    async with async_client(timeout=120) as client:
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


async def warm_up(url: str, channel_id: str) -> None:
    """testConnection through that server: the process parses the Admin schema once, so a run
    started after it does not spend its first seconds (of a short test lease) on that."""
    async with async_client(timeout=120) as client:
        response = await client.post(
            f"{url}/graphql",
            json={
                "query": "mutation($c: ID!) { testConnection(channelId: $c) { ok message } }",
                "variables": {"c": channel_id},
            },
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    answer = response.json()["data"]["testConnection"]
    assert answer["ok"], answer
