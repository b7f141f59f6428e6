"""channelUpdate registers and removes the store's webhook subscriptions, and a pull with
reconcileDeletions finds products deleted in Shopify without any webhook."""

import asyncio
import dataclasses
from typing import Any

import pytest

from tests.helpers.stack import Stack, stack
from tests.helpers.webhooks import CLIENT_SECRET, FAST, reconciling_pull, settled

UPDATE = """mutation($id: ID!, $i: ChannelInput!) { channelUpdate(id: $id, input: $i) {
  channel { name hasWebhookSecret webhooksRegistered remoteDeletePolicy }
  userErrors { field message code } } }"""


def _public(s: Stack, url: str | None) -> None:
    services = s.api.app.app.state.services
    services.settings = dataclasses.replace(services.settings, public_url=url)


async def _update(s: Stack, **values: object) -> dict[str, Any]:
    body = await s.api.gql(UPDATE, {"id": s.channel_id, "i": values})
    payload: dict[str, Any] = body["data"]["channelUpdate"]
    return payload


async def test_channel_update_registers_and_removes_the_subscriptions(database_url: str) -> None:
    async with stack(database_url, webhooks=FAST) as s:
        _public(s, s.api.url)
        done = await _update(s, webhookSecret=CLIENT_SECRET, webhooks=True)
        assert done["userErrors"] == [], done
        assert done["channel"] == {
            "name": "Store",
            "hasWebhookSecret": True,
            "webhooksRegistered": True,
            "remoteDeletePolicy": "UNLINK",
        }
        subscriptions = s.emulator.webhooks.subscriptions.values()
        assert sorted(sub.topic for sub in subscriptions) == [
            "PRODUCTS_CREATE",
            "PRODUCTS_DELETE",
            "PRODUCTS_UPDATE",
        ]
        assert {sub.callback_url for sub in subscriptions} == {f"{s.api.url}/webhooks/shopify"}

        # registering again replaces them (Shopify refuses a second one per topic and address)
        again = await _update(s, webhooks=True)
        assert again["userErrors"] == [] and len(s.emulator.webhooks.subscriptions) == 3

        # a product created in Shopify arrives through them
        await s.shopify(
            "mutation($p: ProductCreateInput) { productCreate(product: $p) { product { id } } }",
            {"p": {"title": "Teapot"}},
        )
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 10
        while not any(e["attributes"].get("name") == "Teapot" for e in await s.entities()):
            assert loop.time() < deadline
            await asyncio.sleep(0.05)

        removed = await _update(s, webhooks=False)
        assert removed["userErrors"] == []
        assert removed["channel"]["webhooksRegistered"] is False
        assert s.emulator.webhooks.subscriptions == {}


@pytest.mark.parametrize(
    ("public_url", "values", "field", "code"),
    [
        (None, {"webhookSecret": CLIENT_SECRET}, ["webhooks"], "NO_PUBLIC_URL"),
        ("https://pim.example.com", {}, ["webhookSecret"], "REQUIRED"),
        ("https://pim.example.com", {"webhookSecret": ""}, ["webhookSecret"], "REQUIRED"),
    ],
)
async def test_registration_refusals_change_nothing(
    database_url: str, public_url: str | None, values: dict[str, str], field: list[str], code: str
) -> None:
    async with stack(database_url) as s:
        _public(s, public_url)
        refused = await _update(s, name="Renamed", webhooks=True, **values)
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(field, code)]
        assert s.emulator.webhooks.subscriptions == {}
        channel = await s.api.gql(
            "query($id: ID!) { channel(id: $id) { name hasWebhookSecret webhooksRegistered } }",
            {"id": s.channel_id},
        )
        assert channel["data"]["channel"] == {
            "name": "Store",
            "hasWebhookSecret": False,
            "webhooksRegistered": False,
        }


async def test_channel_create_does_not_take_webhooks(database_url: str) -> None:
    async with stack(database_url) as s:
        body = await s.api.gql(
            'mutation { channelCreate(input: {name: "N", shopDomain: "n.myshopify.com", '
            "webhooks: true}) { channel { id } userErrors { field code } } }"
        )
        assert body["data"]["channelCreate"] == {
            "channel": None,
            "userErrors": [{"field": ["webhooks"], "code": "INVALID"}],
        }


@pytest.mark.parametrize("policy", ["UNLINK", "DELETE"])
async def test_a_reconciling_pull_finds_products_deleted_without_webhooks(
    database_url: str, policy: str
) -> None:
    async with stack(database_url) as s:
        await s.set_channel(remoteDeletePolicy=policy)
        ids = [
            await s.create_entity(name=f"Item {n}", price="1.00", sku=f"I-{n}") for n in range(3)
        ]
        assert (await s.run("push"))["syncLog"]["pushed"] == 3
        mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        by_entity = {m["entityId"]: m["externalId"] for m in mappings}
        gone = ids[:2]
        for entity_id in gone:
            s.emulator.store.delete_product(int(by_entity[entity_id].rsplit("/", 1)[1]))

        plain = (await s.run("pull"))["syncLog"]
        assert plain["pulled"] == 0  # an incremental pull cannot see a deletion
        log = await reconciling_pull(s)
        assert log["status"] == "SUCCESS", log
        assert log["details"]["remoteDeletions"] == {"policy": policy, "applied": 2}
        assert log["details"]["reconciled"] is True
        left = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        assert [m["entityId"] for m in left] == [ids[2]]
        names = sorted(e["attributes"]["name"] for e in await s.entities())
        expected = ["Item 2"] if policy == "DELETE" else ["Item 0", "Item 1", "Item 2"]
        assert names == expected
        # nothing left to find: the next reconciliation applies nothing
        again = await s.api.gql(
            "mutation($c: ID!) { sync(channelId: $c, wait: true, reconcileDeletions: true) "
            "{ syncLog { details } } }",
            {"c": s.channel_id},
        )
        assert "remoteDeletions" not in again["data"]["sync"]["syncLog"]["details"]
        await settled(s)


async def test_a_reconciliation_notices_subscriptions_shopify_removed(database_url: str) -> None:
    async with stack(database_url, webhooks=FAST) as s:
        # An address nothing answers at: every delivery fails, retries included.
        _public(s, "http://127.0.0.1:9")
        assert (await _update(s, webhookSecret=CLIENT_SECRET, webhooks=True))["userErrors"] == []
        await s.shopify(
            "mutation($p: ProductCreateInput) { productCreate(product: $p) { product { id } } }",
            {"p": {"title": "Teapot"}},
        )
        await s.emulator.webhooks.idle()
        assert [sub.topic for sub in s.emulator.webhooks.removed] == ["PRODUCTS_CREATE"]

        log = await reconciling_pull(s)
        assert log["status"] == "SUCCESS", log
        assert log["details"]["webhooks"] == {"removedByShopify": 1, "registered": 2}
        channel = await _update(s, name="Store")
        assert channel["channel"]["webhooksRegistered"] is False

        # Registering again replaces the two left and the one removed.
        _public(s, s.api.url)
        again = await _update(s, webhooks=True)
        assert again["userErrors"] == [] and again["channel"]["webhooksRegistered"] is True
        assert len(s.emulator.webhooks.subscriptions) == 3
        quiet = await reconciling_pull(s)
        assert "webhooks" not in quiet["details"]
