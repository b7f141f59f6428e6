"""The emulator's webhook subscriptions and deliveries (emulator/webhooks.py): signed like
Shopify's, one per subscription and event, retried on a non-2xx answer or a timeout."""

import json
from typing import Any

import aiohttp

from emulator.runner import run_emulator
from emulator.webhooks import RETRY_DELAYS, WebhookConfig
from sync.webhooks import verifies
from tests.helpers.emulator_calls import TOKEN, Call, make_call, product_set
from tests.helpers.webhook_receiver import HANG, webhook_receiver

SECRET = "shpss_emulator_test"
CREATE = """mutation($t: WebhookSubscriptionTopic!, $u: URL!) {
  webhookSubscriptionCreate(topic: $t, webhookSubscription: {callbackUrl: $u, format: JSON}) {
    webhookSubscription { id topic callbackUrl } userErrors { field message } } }"""
DELETE = """mutation($id: ID!) { webhookSubscriptionDelete(id: $id) {
  deletedWebhookSubscriptionId userErrors { field message } } }"""
LIST = "{ webhookSubscriptions(first: 10) { nodes { id topic callbackUrl } } }"


async def _subscribe(gql: Call, topic: str, url: str) -> dict[str, Any]:
    status, body = await gql(CREATE, {"t": topic, "u": url})
    assert status == 200, body
    payload: dict[str, Any] = body["data"]["webhookSubscriptionCreate"]
    return payload


def test_shopify_schedule_is_eight_retries_over_four_hours() -> None:
    assert len(RETRY_DELAYS) == 8
    assert 3.9 * 3600 < sum(RETRY_DELAYS) < 4.1 * 3600


async def test_subscriptions_are_created_listed_refused_and_deleted() -> None:
    async with run_emulator(token=TOKEN) as emu, aiohttp.ClientSession() as session:
        gql = make_call(emu, session)
        made = await _subscribe(gql, "PRODUCTS_UPDATE", "https://pim.example.com/webhooks")
        assert made["userErrors"] == []
        again = await _subscribe(gql, "PRODUCTS_UPDATE", "https://pim.example.com/webhooks")
        assert again["userErrors"][0]["message"] == "Address for this topic has already been taken"
        plain = await _subscribe(gql, "PRODUCTS_UPDATE", "http://pim.example.com/webhooks")
        assert "not supported" in plain["userErrors"][0]["message"]
        _, listed = await gql(LIST)
        assert listed["data"]["webhookSubscriptions"]["nodes"] == [made["webhookSubscription"]]
        subscription_id = made["webhookSubscription"]["id"]
        _, deleted = await gql(DELETE, {"id": subscription_id})
        assert deleted["data"]["webhookSubscriptionDelete"] == {
            "deletedWebhookSubscriptionId": subscription_id,
            "userErrors": [],
        }
        _, gone = await gql(DELETE, {"id": subscription_id})
        assert gone["data"]["webhookSubscriptionDelete"]["userErrors"]


async def test_every_product_change_is_delivered_signed_with_shopify_headers() -> None:
    config = WebhookConfig(client_secret=SECRET, retry_delays=(0.01,) * 8)
    async with (
        webhook_receiver() as receiver,
        run_emulator(token=TOKEN, webhooks=config) as emu,
        aiohttp.ClientSession() as session,
    ):
        gql = make_call(emu, session)
        for topic in ("PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE"):
            assert (await _subscribe(gql, topic, receiver.url))["userErrors"] == []
        created = await product_set(gql, {"title": "Mug"})
        product_id = created["product"]["id"]
        await product_set(gql, {"title": "Big mug"}, {"id": product_id})
        _, body = await gql(
            "mutation($i: ProductDeleteInput!) { productDelete(input: $i) { deletedProductId } }",
            {"i": {"id": product_id}},
        )
        assert body["data"]["productDelete"]["deletedProductId"] == product_id
        await emu.webhooks.idle()
    topics = [r.headers["X-Shopify-Topic"] for r in receiver.received]
    assert topics == ["products/create", "products/update", "products/delete"]
    for delivery in receiver.received:
        headers = delivery.headers
        assert verifies(SECRET, delivery.body, headers["X-Shopify-Hmac-Sha256"])
        assert headers["X-Shopify-Shop-Domain"] == emu.shop
        assert headers["X-Shopify-API-Version"] == "2026-01"
        assert headers["X-Shopify-Event-Id"] and headers["X-Shopify-Triggered-At"]
        assert json.loads(delivery.body)["id"] == int(product_id.rsplit("/", 1)[1])
    update = json.loads(receiver.received[1].body)
    assert (update["title"], update["admin_graphql_api_id"]) == ("Big mug", product_id)
    assert len({r.headers["X-Shopify-Event-Id"] for r in receiver.received}) == 3


async def test_failed_deliveries_are_retried_with_the_same_event_then_given_up() -> None:
    # 500, then no answer within the timeout, then 200: three attempts of one event.
    config = WebhookConfig(client_secret=SECRET, retry_delays=(0.01,) * 8, timeout=0.3)
    async with (
        webhook_receiver([500, HANG, 200]) as receiver,
        run_emulator(token=TOKEN, webhooks=config) as emu,
        aiohttp.ClientSession() as session,
    ):
        gql = make_call(emu, session)
        await _subscribe(gql, "PRODUCTS_CREATE", receiver.url)
        await product_set(gql, {"title": "Mug"})
        await emu.webhooks.idle()
        assert [a.status for a in emu.webhooks.attempts] == [500, None, 200]
        assert len({r.headers["X-Shopify-Event-Id"] for r in receiver.received}) == 1
        assert len({r.body for r in receiver.received}) == 1  # the original payload

        receiver.script = [503] * 20
        await product_set(gql, {"title": "Cup"})
        await emu.webhooks.idle()
        # the first attempt and Shopify's 8 retries, then nothing more
        assert [a.status for a in emu.webhooks.attempts[3:]] == [503] * 9
        # ...and the subscription is gone: later events are not sent, the list no longer has it
        assert [sub.topic for sub in emu.webhooks.removed] == ["PRODUCTS_CREATE"]
        receiver.script = [200] * 5
        await product_set(gql, {"title": "Plate"})
        await emu.webhooks.idle()
        assert len(emu.webhooks.attempts) == 12
        _, listed = await gql(LIST, {})
        assert listed["data"]["webhookSubscriptions"]["nodes"] == []
