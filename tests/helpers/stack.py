"""The whole stack for end-to-end tests: the emulator and the API server, both really listening."""

import asyncio
import contextlib
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

from db import entities
from db.engine import SessionFactory, create_engine, session_factory
from db.models import Entity
from db.settings import RunMode
from emulator.runner import run_emulator
from sync.default_schema import DEFAULT_PRODUCT_ATTRIBUTES
from sync.shopify.client import ShopifyClient
from sync.shopify.config import ShopifyConfig
from tests.helpers.http import async_client
from tests.helpers.live import LiveServer, live_server

SHOP = "e2e-store.myshopify.com"
SHOP_TOKEN = "shpat_e2e_secret_token"
PLUS_RESTORE_RATE = 1000.0

# The same attributes, in the GraphQL input's form (enum names).
ATTRIBUTES = [
    {"key": a["key"], "type": a["type"].upper(), "required": a["required"]}
    for a in DEFAULT_PRODUCT_ATTRIBUTES
]

START = """mutation($c: ID!, $ids: [ID!], $wait: Boolean!) {
  push(channelId: $c, entityIds: $ids, wait: $wait) { ...R } }
fragment R on SyncPayload { syncLog { id status direction pushed pulled skipped failed
  errors { entityId externalId message } details } userErrors { field message code } }"""
PULL = """mutation($c: ID!, $wait: Boolean!) { pull(channelId: $c, wait: $wait) {
  syncLog { id status direction pushed pulled skipped failed errors { entityId externalId message }
  details } userErrors { field message code } } }"""
SYNC = PULL.replace("pull(", "sync(")


def _report(kind: str, payload: dict[str, Any], seconds: float) -> None:
    """With SIGMA_E2E_REPORT=FILE, one JSON line per finished run: the figures for issue notes."""
    target = os.environ.get("SIGMA_E2E_REPORT")
    log = payload.get("syncLog") or {}
    if not target or log.get("status") in (None, "RUNNING"):
        return
    shopify = (log.get("details") or {}).get("shopify") or {}
    line = {
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "run": kind,
        "status": log["status"],
        **{key: log[key] for key in ("pushed", "pulled", "skipped", "failed")},
        "requests": shopify.get("requests"),
        "throttled": shopify.get("throttled"),
        "retries": shopify.get("retries"),
        "seconds": round(seconds, 2),
    }
    with open(target, "a") as handle:
        handle.write(json.dumps(line) + "\n")


def quick_polling_client(config: ShopifyConfig) -> ShopifyClient:
    """The server's Shopify client, polling a bulk operation every 50 ms instead of every second:
    the emulator finishes an operation in milliseconds, and a run's tests are about what it does,
    not the cadence (tests/shopify/test_bulk*.py test the polling itself)."""
    return ShopifyClient(replace(config, bulk_poll_interval=0.05, bulk_poll_max_interval=0.05))


@dataclass
class Stack:
    api: LiveServer
    emulator: Any
    schema_id: str
    catalog_id: str
    channel_id: str
    sessions: SessionFactory

    async def create_entity(self, **attributes: Any) -> str:
        """Seed an entity straight into the database (through db.entities, so it is validated
        and revisioned like any write): these tests are about syncing, not entityCreate."""
        async with self.sessions() as session:
            entity = await entities.create_entity(
                session, self.schema_id, [self.catalog_id], attributes
            )
        return entity.id

    async def update_entity(self, entity_id: str, **attributes: Any) -> None:
        """Merge attributes into an entity, straight in the database (see create_entity)."""
        async with self.sessions() as session:
            current = await session.get(Entity, entity_id)
            assert current is not None, entity_id
            merged = {**current.attributes, **attributes}
            await entities.update_entity(session, entity_id, None, merged)

    async def entity(self, entity_id: str) -> dict[str, Any]:
        body = await self.api.gql(
            "query($id: ID!) { entity(id: $id) { attributes } }", {"id": entity_id}
        )
        attributes: dict[str, Any] = body["data"]["entity"]["attributes"]
        return attributes

    async def entities(self) -> list[dict[str, Any]]:
        body = await self.api.gql("{ entities(first: 250) { nodes { id attributes } } }")
        nodes: list[dict[str, Any]] = body["data"]["entities"]["nodes"]
        return nodes

    async def run(
        self, kind: str, wait: bool = True, entity_ids: list[str] | None = None
    ) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        if kind == "push":
            body = await self.api.gql(
                START, {"c": self.channel_id, "ids": entity_ids, "wait": wait}
            )
        else:
            body = await self.api.gql(
                PULL if kind == "pull" else SYNC, {"c": self.channel_id, "wait": wait}
            )
        assert "errors" not in body, body
        payload: dict[str, Any] = body["data"][{"push": "push", "pull": "pull"}.get(kind, "sync")]
        _report(kind, payload, loop.time() - started)
        return payload

    async def shopify(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        """A merchant's own edit, sent to the emulator like any Shopify admin app would."""
        async with async_client() as client:
            response = await client.post(
                f"{self.emulator.base_url}/admin/api/2026-01/graphql.json",
                json={"query": query, "variables": variables},
                headers={"X-Shopify-Access-Token": SHOP_TOKEN},
            )
        body: dict[str, Any] = response.json()
        assert "errors" not in body, body
        return body

    async def rename_in_shopify(self, product_id: str, title: str) -> None:
        body = await self.shopify(
            "mutation($p: ProductUpdateInput!) { productUpdate(product: $p) "
            "{ product { id } userErrors { message } } }",
            {"p": {"id": product_id, "title": title}},
        )
        assert body["data"]["productUpdate"]["userErrors"] == []

    async def set_channel(self, **values: Any) -> None:
        body = await self.api.gql(
            "mutation($id: ID!, $i: ChannelInput!) { channelUpdate(id: $id, input: $i) "
            "{ userErrors { field message } } }",
            {"id": self.channel_id, "i": values},
        )
        assert body["data"]["channelUpdate"]["userErrors"] == []

    async def wait_for(self, log_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            body = await self.api.gql(
                "query($id: ID!) { syncLog(id: $id) { status pushed pulled skipped failed } }",
                {"id": log_id},
            )
            log: dict[str, Any] = body["data"]["syncLog"]
            if log["status"] != "RUNNING":
                return log
            assert asyncio.get_running_loop().time() < deadline, "run did not finish"
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def stack(
    database_url: str,
    runner: dict[str, Any] | None = None,
    schedule: dict[str, Any] | None = None,
    *,
    webhook_debounce: float = 1.0,
    run_mode: RunMode = RunMode.EMBEDDED,
    **emulator_options: Any,
) -> AsyncIterator[Stack]:
    options = {
        "shop": SHOP,
        "token": SHOP_TOKEN,
        "products": 0,
        "seed": 7,
        # A Shopify Plus store: 1,000 cost points restored a second, not the Standard plan's 100
        # (https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits). On 100 a
        # per-item push of 200 products spends 20 of its 24 s waiting for the bucket; the tests
        # that are about throttling pass their own bucket (test_reliability, tests/shopify).
        "restore_rate": PLUS_RESTORE_RATE,
        **emulator_options,
    }
    async with (
        run_emulator(**options) as emulator,
        live_server(
            database_url,
            shopify_base_url=emulator.base_url,
            schedule=schedule,
            webhook_debounce=webhook_debounce,
            run_mode=run_mode,
            **{"client_factory": quick_polling_client, **(runner or {})},
        ) as api,
    ):
        schema = await api.gql(
            "mutation($i: SchemaCreateInput!) { schemaCreate(input: $i) { schema { id } } }",
            {"i": {"name": "Product", "attributes": ATTRIBUTES}},
        )
        catalog = await api.gql(
            'mutation { catalogCreate(input: {name: "Web"}) { catalog { id } } }'
        )
        schema_id = schema["data"]["schemaCreate"]["schema"]["id"]
        catalog_id = catalog["data"]["catalogCreate"]["catalog"]["id"]
        channel = await api.gql(
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { channel { id } "
            "userErrors { field message } } }",
            {
                "i": {
                    "name": "Store",
                    "shopDomain": SHOP,
                    "accessToken": SHOP_TOKEN,
                    "schemaId": schema_id,
                    "catalogIds": [catalog_id],
                }
            },
        )
        assert channel["data"]["channelCreate"]["userErrors"] == []
        engine = create_engine(api.settings.database_url)
        try:
            yield Stack(
                api,
                emulator,
                schema_id,
                catalog_id,
                channel["data"]["channelCreate"]["channel"]["id"],
                session_factory(engine),
            )
        finally:
            await engine.dispose()
