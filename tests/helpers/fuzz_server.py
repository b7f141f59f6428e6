"""A `sigma serve` process for the fuzzing suite, and the checks every response must pass.

The server runs as its own process (uvloop, httptools, the production log configuration) so
that the suite sees what a client sees, and its log file can be searched afterwards.
"""

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.helpers.http import sync_client

TOKEN = "fuzz-api-token-0123456789abcdef"
# Shaped like a Shopify admin token, so the log filter's pattern is exercised too.
CANARY = "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"
# Text that only an unmasked exception would put in a response.
_LEAKS = re.compile(r"Traceback|File \"|sqlalchemy|asyncpg|aiosqlite|psycopg|Error\(")
EXAMPLES = int(os.environ.get("SIGMA_FUZZ_EXAMPLES", "0") or 0)


@dataclass
class FuzzServer:
    url: str
    log: Path
    client: httpx.Client
    ids: dict[str, str] = field(default_factory=dict)
    requests: int = 0

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {TOKEN}"}

    def gql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        response = self.client.post("/graphql", json={"query": query, "variables": variables})
        return response.json()


def check(server: FuzzServer, response: httpx.Response, what: str) -> None:
    """No 5xx, no unexpected (masked) error, no leaked internals, no canary."""
    server.requests += 1
    text = response.text
    assert response.status_code < 500, f"{what}: {response.status_code} {text[:500]}"
    assert "INTERNAL_ERROR" not in text, f"{what}: an unexpected error: {text[:500]}"
    assert not _LEAKS.search(text), f"{what}: internals in the response: {text[:500]}"
    assert CANARY not in text, f"{what}: the canary came back: {text[:500]}"
    assert CANARY[6:] not in text, f"{what}: part of the canary came back"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _seed(server: FuzzServer) -> None:
    """Rows for generated ids to hit now and then: a schema, a catalog, an entity, a channel."""
    schema = server.gql(
        'mutation { schemaCreate(input: {name: "Fuzz", attributes: [{key: "name", type: TEXT}]})'
        " { schema { id } } }"
    )["data"]["schemaCreate"]["schema"]["id"]
    catalog = server.gql('mutation { catalogCreate(input: {name: "Fuzz"}) { catalog { id } } }')
    catalog_id = catalog["data"]["catalogCreate"]["catalog"]["id"]
    entity = server.gql(
        "mutation($i: EntityCreateInput!) { entityCreate(input: $i) { entity { id } } }",
        {"i": {"schemaId": schema, "catalogIds": [catalog_id], "attributes": {"name": "x"}}},
    )["data"]["entityCreate"]["entity"]["id"]
    channel = server.gql(
        "mutation($i: ChannelInput!) { channelCreate(input: $i) { channel { id } } }",
        {"i": {"name": "Fuzz", "shopDomain": "fuzz.myshopify.com", "accessToken": CANARY}},
    )["data"]["channelCreate"]["channel"]["id"]
    server.ids.update(schema=schema, catalog=catalog_id, entity=entity, channel=channel)


@contextmanager
def fuzz_server(database_url: str, workdir: Path) -> Iterator[FuzzServer]:
    port = _free_port()
    log = workdir / "server.log"
    env = {
        **os.environ,
        "SIGMA_DATABASE_URL": database_url,
        "SIGMA_API_TOKEN": TOKEN,
        "SIGMA_SECRET_KEY": "fuzz-secret-key",
        # The fuzzed server runs what it is asked in-process, on PostgreSQL too (no workers).
        "SIGMA_RUN_MODE": "embedded",
        # Shopify traffic goes nowhere: runs fail fast with a connection error.
        "SIGMA_SHOPIFY_BASE_URL": "http://127.0.0.1:9",
    }
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "serve", "--port", str(port)],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    httpx.get(f"{url}/healthz", timeout=1)
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(log.read_text()) from None
                    time.sleep(0.1)
            headers = {"Authorization": f"Bearer {TOKEN}"}
            with sync_client(base_url=url, headers=headers, timeout=30) as client:
                server = FuzzServer(url, log, client)
                _seed(server)
                yield server
        finally:
            process.terminate()
            process.wait(10)
