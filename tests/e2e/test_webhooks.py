"""Shopify webhooks end to end: the emulator delivers signed product webhooks to the API over
HTTP, which stores them and turns them into targeted pulls (issue 13, point 4)."""

import asyncio
import uuid

import pytest

from db.webhook_events import count_events
from tests.helpers.http import async_client
from tests.helpers.stack import SHOP, Stack, stack
from tests.helpers.webhooks import (
    CLIENT_SECRET,
    FAST,
    delete_in_shopify,
    deliver,
    runs,
    settled,
    subscribe_in_emulator,
)


async def _linked_product(s: Stack) -> tuple[str, str]:
    """An entity pushed to the store: (entity id, product gid)."""
    entity_id = await s.create_entity(name="Mug", price="12.50", sku="MUG-1")
    log = (await s.run("push"))["syncLog"]
    assert log["pushed"] == 1, log
    mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
    return entity_id, mappings[0]["externalId"]


async def test_a_shopify_edit_reaches_the_pim_within_five_seconds(database_url: str) -> None:
    async with stack(database_url, webhooks=FAST) as s:
        await s.set_channel(webhookSecret=CLIENT_SECRET)
        entity_id, product_id = await _linked_product(s)
        await subscribe_in_emulator(s)
        loop = asyncio.get_running_loop()
        edited = loop.time()
        await s.rename_in_shopify(product_id, "Big mug")
        while (await s.entity(entity_id))["name"] != "Big mug":
            assert loop.time() - edited < 5.0, "the edit did not reach the PIM in 5 s"
            await asyncio.sleep(0.05)
        logs = await settled(s)
        # no scheduled or manual pull: the push, then the webhook's targeted pull
        assert [(log["direction"], log["details"].get("pullMode")) for log in logs] == [
            ("PULL", "targeted"),
            ("PUSH", None),
        ]
        assert (logs[0]["status"], logs[0]["pulled"]) == ("SUCCESS", 1)
        assert all(a.status == 200 for a in s.emulator.webhooks.attempts)


async def test_a_forged_or_missing_signature_changes_nothing(database_url: str) -> None:
    async with stack(database_url) as s, async_client(base_url=s.api.url) as web:
        await s.set_channel(webhookSecret=CLIENT_SECRET)
        entity_id, product_id = await _linked_product(s)
        payload = {"id": int(product_id.rsplit("/", 1)[1]), "admin_graphql_api_id": product_id}
        forged = await deliver(web, "products/delete", payload, shop=SHOP, secret="guess")
        unsigned = await deliver(web, "products/delete", payload, shop=SHOP, secret=None)
        wrong_shop = await deliver(web, "products/delete", payload, shop="other.myshopify.com")
        tampered = await deliver(web, "products/delete", payload, shop=SHOP, signature="A" * 44)
        for response in (forged, unsigned, wrong_shop, tampered):
            assert response.status_code == 401, response.text
            assert CLIENT_SECRET not in response.text
        async with s.sessions() as session:
            assert await count_events(session, s.channel_id) == 0
        await asyncio.sleep(1.5)  # past the debounce window: still no run
        assert len(await runs(s)) == 1
        assert (await s.entity(entity_id))["name"] == "Mug"


async def test_a_channel_without_a_secret_refuses_every_webhook(database_url: str) -> None:
    async with stack(database_url) as s, async_client(base_url=s.api.url) as web:
        response = await deliver(web, "products/update", {"id": 1}, shop=SHOP)
        assert response.status_code == 401


async def test_duplicates_are_dropped_and_many_events_make_one_pull(database_url: str) -> None:
    # Two quiet seconds close the window: ample between deliveries, even on a loaded machine.
    async with (
        stack(database_url, webhook_debounce=2.0) as s,
        async_client(base_url=s.api.url) as web,
    ):
        await s.set_channel(webhookSecret=CLIENT_SECRET)
        _, product_id = await _linked_product(s)
        number = int(product_id.rsplit("/", 1)[1])
        payload = {"id": number, "admin_graphql_api_id": product_id}
        event = str(uuid.uuid4())
        first = await deliver(web, "products/update", payload, shop=SHOP, event_id=event)
        again = await deliver(web, "products/update", payload, shop=SHOP, event_id=event)
        assert (first.status_code, first.json()["outcome"]) == (200, "stored")
        assert (again.status_code, again.json()["outcome"]) == (200, "duplicate")
        more = await asyncio.gather(
            *(deliver(web, "products/update", payload, shop=SHOP) for _ in range(9))
        )
        assert [r.status_code for r in more] == [200] * 9
        async with s.sessions() as session:
            assert await count_events(session, s.channel_id) == 10
        logs = await settled(s)
        pulls = [log for log in logs if log["direction"] == "PULL"]
        assert len(pulls) == 1, [(p["details"]["targets"], p["id"]) for p in pulls]
        # unchanged in Shopify: read once, skipped
        assert (pulls[0]["pulled"], pulls[0]["skipped"]) == (0, 1), pulls[0]


@pytest.mark.parametrize("policy", ["UNLINK", "DELETE"])
async def test_a_product_deleted_in_shopify_follows_remote_delete_policy(
    database_url: str, policy: str
) -> None:
    async with stack(database_url, webhooks=FAST) as s:
        await s.set_channel(webhookSecret=CLIENT_SECRET, remoteDeletePolicy=policy)
        entity_id, product_id = await _linked_product(s)
        await subscribe_in_emulator(s)
        await delete_in_shopify(s, product_id)
        logs = await settled(s)
        assert logs[0]["details"]["remoteDeletions"] == {"policy": policy, "applied": 1}
        mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        assert mappings == []
        entity = await s.api.gql("query($id: ID!) { entity(id: $id) { id } }", {"id": entity_id})
        assert (entity["data"]["entity"] is None) == (policy == "DELETE")
