"""Two API processes on one PostgreSQL database: a change made through one shows in the polls of
the other, whose cache PostgreSQL's notification invalidates (db.poll_cache)."""

import asyncio
import os
from typing import Any

import httpx

from db.engine import create_engine
from tests.helpers.http import async_client
from tests.helpers.live import SECRET, TOKEN
from tests.helpers.postgres import poll_listeners
from tests.helpers.server_process import serve

CHANNELS = "{ channels { id name } }"


async def _gql(client: httpx.AsyncClient, url: str, query: str) -> dict[str, Any]:
    response = await client.post(f"{url}/graphql", json={"query": query})
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


async def _listeners(database_url: str) -> int:
    engine = create_engine(database_url)
    try:
        return await poll_listeners(engine)
    finally:
        await engine.dispose()


async def test_a_rename_on_one_server_shows_in_the_other_servers_polls(postgres_url: str) -> None:
    env = {
        **os.environ,
        "SIGMA_DATABASE_URL": postgres_url,
        "SIGMA_API_TOKEN": TOKEN,
        "SIGMA_SECRET_KEY": SECRET,
    }
    (one, one_url), (other, other_url) = await asyncio.gather(serve(env), serve(env))
    headers = {"Authorization": f"Bearer {TOKEN}"}
    try:
        async with async_client(headers=headers, timeout=30) as client:
            created = await _gql(
                client,
                one_url,
                'mutation { channelCreate(input: {name: "Before", shopDomain: '
                '"two.myshopify.com"}) { channel { id } userErrors { message } } }',
            )
            channel_id = created["channelCreate"]["channel"]["id"]
            # A first poll on each server opens its pool and starts its listener.
            for url in (one_url, other_url):
                assert (await _gql(client, url, CHANNELS))["channels"][0]["name"] == "Before"
            loop = asyncio.get_running_loop()
            deadline = loop.time() + 15
            while await _listeners(postgres_url) < 2:
                assert loop.time() < deadline, "the servers' listeners did not connect"
                await asyncio.sleep(0.05)
            # Now "Before" sits in the other server's cache.
            assert (await _gql(client, other_url, CHANNELS))["channels"][0]["name"] == "Before"

            renamed = await _gql(
                client,
                one_url,
                f'mutation {{ channelUpdate(id: "{channel_id}", input: {{name: "After"}}) '
                "{ channel { name } userErrors { message } } }",
            )
            assert renamed["channelUpdate"]["channel"]["name"] == "After"
            assert (await _gql(client, one_url, CHANNELS))["channels"][0]["name"] == "After"
            deadline = loop.time() + 5
            while (await _gql(client, other_url, CHANNELS))["channels"][0]["name"] != "After":
                assert loop.time() < deadline, "the other server still serves the old name"
                await asyncio.sleep(0.02)
    finally:
        for process in (one, other):
            process.terminate()
        for process in (one, other):
            await process.wait()
