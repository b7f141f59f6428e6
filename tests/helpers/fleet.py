"""Many channels on one emulator store, served by API and worker subprocesses: the setup of the
multi-process tests. Every channel pushes its own catalog, with SKUs of its own."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import col

from db import entities
from db.clock import parse_iso, utcnow
from db.engine import SessionFactory
from db.models import Channel, Entity
from tests.helpers.http import async_client
from tests.helpers.live import TOKEN
from tests.helpers.stack import ATTRIBUTES, SHOP, SHOP_TOKEN

PUSH = """mutation($c: ID!, $wait: Boolean!) { push(channelId: $c, wait: $wait) {
  syncLog { id status } userErrors { code message } } }"""
LOGS = """query($c: ID!) { syncLogs(channelId: $c, first: 50) { nodes {
  id status direction startedAt completedAt pushed pulled skipped failed
  errors { message } details } } }"""
SCHEDULE = """mutation($c: ID!, $s: String) { channelUpdate(id: $c, input: {syncSchedule: $s}) {
  channel { syncSchedule nextSyncAt } userErrors { code message } } }"""


async def gql(api: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    async with async_client(timeout=120) as client:
        response = await client.post(
            f"{api}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


@dataclass
class Fleet:
    schema_id: str
    channels: list[str] = field(default_factory=list)
    # channel id -> its entity ids
    entities: dict[str, list[str]] = field(default_factory=dict)


async def make_fleet(api: str, sessions: SessionFactory, channels: int, per_channel: int) -> Fleet:
    created = await gql(
        api,
        "mutation($i: SchemaCreateInput!) { schemaCreate(input: $i) { schema { id } } }",
        {"i": {"name": "Product", "attributes": ATTRIBUTES}},
    )
    fleet = Fleet(created["schemaCreate"]["schema"]["id"])
    for number in range(channels):
        catalog = await gql(
            api,
            "mutation($n: String!) { catalogCreate(input: {name: $n}) { catalog { id } } }",
            {"n": f"Catalog {number}"},
        )
        catalog_id = catalog["catalogCreate"]["catalog"]["id"]
        channel = await gql(
            api,
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { channel { id } "
            "userErrors { message } } }",
            {
                "i": {
                    "name": f"Store {number}",
                    "shopDomain": SHOP,
                    "accessToken": SHOP_TOKEN,
                    "schemaId": fleet.schema_id,
                    "catalogIds": [catalog_id],
                }
            },
        )
        assert channel["channelCreate"]["userErrors"] == []
        channel_id = channel["channelCreate"]["channel"]["id"]
        fleet.channels.append(channel_id)
        async with sessions() as session:
            fleet.entities[channel_id] = [
                (
                    await entities.create_entity(
                        session,
                        fleet.schema_id,
                        [catalog_id],
                        {"name": f"Item {number}-{i}", "sku": f"F-{number}-{i}", "price": "10.00"},
                    )
                ).id
                for i in range(per_channel)
            ]
    return fleet


async def push(api: str, channel_id: str, wait: bool = False) -> dict[str, Any]:
    data = await gql(api, PUSH, {"c": channel_id, "wait": wait})
    payload: dict[str, Any] = data["push"]
    return payload


async def logs(api: str, channel_id: str) -> list[dict[str, Any]]:
    data = await gql(api, LOGS, {"c": channel_id})
    nodes: list[dict[str, Any]] = data["syncLogs"]["nodes"]
    return nodes


async def set_schedule(api: str, channel_id: str, schedule: str | None) -> dict[str, Any]:
    data = await gql(api, SCHEDULE, {"c": channel_id, "s": schedule})
    payload: dict[str, Any] = data["channelUpdate"]
    assert payload["userErrors"] == [], payload
    return payload


async def make_due(sessions: SessionFactory, channel_ids: list[str]) -> None:
    """Move the channels' next run time to now: schedules have minute precision, a test cannot
    wait for the clock."""
    async with sessions() as session:
        await session.execute(
            update(Channel)
            .where(col(Channel.id).in_(channel_ids))
            .values(next_sync_at=utcnow() - timedelta(seconds=1))
        )
        await session.commit()


async def set_prices(
    sessions: SessionFactory, fleet: Fleet, price: str, channels: list[str] | None = None
) -> None:
    """An edit of every entity of the fleet (or of these channels), as the PIM makes it."""
    async with sessions() as session:
        for channel_id, ids in fleet.entities.items():
            if channels is not None and channel_id not in channels:
                continue
            for entity_id in ids:
                entity = await session.get(Entity, entity_id)
                assert entity is not None
                changed = {**entity.attributes, "price": price}
                await entities.update_entity(session, entity_id, None, changed)


async def next_sync_at(api: str, channel_id: str) -> datetime | None:
    data = await gql(api, "query($c: ID!) { channel(id: $c) { nextSyncAt } }", {"c": channel_id})
    value = data["channel"]["nextSyncAt"]
    return parse_iso(value) if value else None
