"""A scriptable Shopify stand-in: a real aiohttp server on 127.0.0.1 whose answers each test
writes, plus a fake clock so that retries and limiter waits cost no real time."""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from aiohttp import BodyPartReader, web
from aiohttp.test_utils import TestServer

from sync.shopify import ShopifyClient, ShopifyConfig

TOKEN = "shpat_secret_token_0123456789"
SHOP = "sigma-test.myshopify.com"

Handler = Callable[[web.Request, dict[str, Any]], Awaitable[web.StreamResponse]]


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


@dataclass
class Received:
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def operation(self) -> str:
        query = str(self.body.get("query", ""))
        head = query.split("{", 1)[0].split("(", 1)[0].split()
        return head[1] if len(head) > 1 else ""

    @property
    def variables(self) -> dict[str, Any]:
        return dict(self.body.get("variables") or {})


@dataclass
class ScriptedShopify:
    """Answers GraphQL posts from `script` (one handler per request, in order) or, when the
    script is empty, from `fallback`. Extra routes can be added for staged uploads/downloads."""

    app: web.Application
    script: list[Handler] = field(default_factory=list)
    fallback: Handler | None = None
    received: list[Received] = field(default_factory=list)
    base_url: str = ""
    files: dict[str, bytes] = field(default_factory=dict)  # served at GET /files/{name}
    uploads: list[list[tuple[str, bytes]]] = field(default_factory=list)  # POST /upload parts
    file_requests: list[dict[str, str]] = field(default_factory=list)  # headers of those

    def operations(self) -> list[str]:
        return [r.operation for r in self.received]


def reply(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Handler:
    async def handler(request: web.Request, _: dict[str, Any]) -> web.StreamResponse:
        text = body if isinstance(body, str) else json.dumps(body)
        return web.Response(
            status=status, text=text, content_type="application/json", headers=headers
        )

    return handler


def drop() -> Handler:
    async def handler(request: web.Request, _: dict[str, Any]) -> web.StreamResponse:
        assert request.transport is not None
        request.transport.close()
        return web.Response(status=200)

    return handler


def hang(seconds: float = 5.0) -> Handler:
    async def handler(request: web.Request, _: dict[str, Any]) -> web.StreamResponse:
        await asyncio.sleep(seconds)
        return web.Response(status=200)

    return handler


def cost(
    requested: float,
    actual: float | None,
    available: float,
    maximum: float = 2000.0,
    rate: float = 100.0,
) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": {
                "maximumAvailable": maximum,
                "currentlyAvailable": available,
                "restoreRate": rate,
            },
        }
    }


def throttled(requested: float = 50, available: float = 10, rate: float = 100.0) -> dict[str, Any]:
    return {
        "errors": [{"message": "Throttled", "extensions": {"code": "THROTTLED"}}],
        "extensions": cost(requested, None, available, rate=rate),
    }


@asynccontextmanager
async def scripted_shopify() -> AsyncIterator[ScriptedShopify]:
    """A ScriptedShopify listening on a free loopback port until the block ends."""
    app = web.Application()
    scripted = ScriptedShopify(app=app)

    async def graphql(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        scripted.received.append(Received(dict(request.headers), body))
        if scripted.script:
            return await scripted.script.pop(0)(request, body)
        if scripted.fallback is not None:
            return await scripted.fallback(request, body)
        return web.Response(status=500, text="script exhausted")

    async def serve_file(request: web.Request) -> web.StreamResponse:
        scripted.file_requests.append(dict(request.headers))
        name = request.match_info["name"]
        if name not in scripted.files:
            return web.Response(status=404)
        return web.Response(body=scripted.files[name], content_type="application/jsonl")

    async def upload(request: web.Request) -> web.StreamResponse:
        scripted.file_requests.append(dict(request.headers))
        reader = await request.multipart()
        parts: list[tuple[str, bytes]] = []
        while (part := await reader.next()) is not None:
            assert isinstance(part, BodyPartReader)
            parts.append((part.name or "", bytes(await part.read())))
        scripted.uploads.append(parts)
        return web.Response(status=201)

    app.router.add_post("/admin/api/{version}/graphql.json", graphql)
    app.router.add_get("/files/{name}", serve_file)
    app.router.add_post("/upload", upload)
    server = TestServer(app, host="127.0.0.1", port=0)
    await server.start_server()
    scripted.base_url = str(server.make_url("")).rstrip("/")
    try:
        yield scripted
    finally:
        await server.close()


def make_config(base_url: str, **overrides: Any) -> ShopifyConfig:
    settings: dict[str, Any] = {
        "shop_domain": SHOP,
        "access_token": TOKEN,
        "base_url": base_url,
        "timeout": 2.0,
        "max_retries": 4,
        "max_retry_time": 60.0,
        "backoff_base": 0.1,
        "backoff_max": 1.0,
        "bulk_poll_interval": 0.01,
        "bulk_poll_max_interval": 0.05,
    }
    settings.update(overrides)
    return ShopifyConfig(**settings)


def make_client(base_url: str, clock: FakeClock, **overrides: Any) -> ShopifyClient:
    return ShopifyClient(
        make_config(base_url, **overrides), clock=clock, sleep=clock.sleep, jitter=lambda: 0.5
    )


SHOP_ANSWER = {
    "data": {
        "shop": {
            "name": "Sigma Test",
            "myshopifyDomain": SHOP,
            "primaryDomain": {"url": "https://sigma.example"},
            "plan": {"displayName": "Basic"},
            "currencyCode": "EUR",
            "ianaTimezone": "Europe/Paris",
        }
    },
    "extensions": cost(1, 1, 1999),
}
