"""A really listening API server for tests (uvicorn on a free loopback port)."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn

from db.settings import RunMode, Settings
from graph.app import create_app
from tests.helpers.http import async_client

TOKEN = "test-api-token-0123456789"
SECRET = "test-secret-key"


@dataclass
class LiveServer:
    url: str
    settings: Settings
    client: httpx.AsyncClient
    app: Any

    async def gql(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@contextlib.asynccontextmanager
async def live_server(
    database_url: str,
    shopify_base_url: str | None = None,
    schedule: dict[str, Any] | None = None,
    *,
    webhook_debounce: float = 1.0,
    run_mode: RunMode = RunMode.EMBEDDED,
    **runner_options: Any,
) -> AsyncIterator[LiveServer]:
    """`schedule`: create_app's schedule_interval and clock."""
    settings = Settings(
        database_url=database_url,
        api_token=TOKEN,
        secret_key=SECRET,
        shopify_base_url=shopify_base_url,
        webhook_debounce=webhook_debounce,
        run_mode=run_mode,
    )
    app = create_app(settings, runner_options, **(schedule or {}))
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            raise RuntimeError("the API server did not start; see the log above")
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with async_client(base_url=url, headers=headers, timeout=60) as client:
        try:
            yield LiveServer(url, settings, client, app)
        finally:
            server.should_exit = True
            await task
