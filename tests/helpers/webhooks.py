"""Webhook deliveries for tests: signed like Shopify's, sent to the API over HTTP, and the
emulator's subscriptions pointed at the API."""

import asyncio
import json
import uuid
from typing import Any

import httpx

from emulator.webhooks import WebhookConfig, sign
from tests.helpers.stack import Stack

CLIENT_SECRET = "shpss_webhook_test_client_secret"
# Retries a few milliseconds apart, so a test sees Shopify's whole schedule in a moment.
FAST = WebhookConfig(client_secret=CLIENT_SECRET, retry_delays=(0.05,) * 8, timeout=1.0)
RUNS = (
    "query($c: ID!) { syncLogs(channelId: $c, first: 50) "
    "{ nodes { id status direction pulled skipped failed details } } }"
)


async def deliver(
    client: httpx.AsyncClient,
    topic: str,
    payload: dict[str, Any],
    *,
    shop: str,
    secret: str | None = CLIENT_SECRET,
    event_id: str | None = None,
    signature: str | None = None,
) -> httpx.Response:
    """POST one webhook as Shopify would to `client` (based at the API's URL, no bearer token);
    `signature` overrides the computed one (forgery)."""
    body = json.dumps(payload).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Shop-Domain": shop,
        "X-Shopify-Event-Id": event_id or str(uuid.uuid4()),
        "X-Shopify-API-Version": "2026-10",
    }
    if signature is not None:
        headers["X-Shopify-Hmac-Sha256"] = signature
    elif secret is not None:
        headers["X-Shopify-Hmac-Sha256"] = sign(secret, body)
    return await client.post("/webhooks/shopify", content=body, headers=headers)


async def subscribe_in_emulator(s: Stack) -> None:
    """Point the emulator's product topics at the API (what channelUpdate can do too)."""
    for topic in ("PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE"):
        body = await s.shopify(
            "mutation($t: WebhookSubscriptionTopic!, $u: URL!) { webhookSubscriptionCreate("
            "topic: $t, webhookSubscription: {callbackUrl: $u, format: JSON}) "
            "{ webhookSubscription { id } userErrors { message } } }",
            {"t": topic, "u": f"{s.api.url}/webhooks/shopify"},
        )
        assert body["data"]["webhookSubscriptionCreate"]["userErrors"] == [], body


async def runs(s: Stack) -> list[dict[str, Any]]:
    body = await s.api.gql(RUNS, {"c": s.channel_id})
    nodes: list[dict[str, Any]] = body["data"]["syncLogs"]["nodes"]
    return nodes


async def settled(s: Stack, timeout: float = 10.0) -> list[dict[str, Any]]:
    """The channel's runs once no webhook drain is pending and none runs."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    services = s.api.app.app.state.services
    while True:
        await s.emulator.webhooks.idle()
        await services.webhooks.idle()
        logs = await runs(s)
        if all(log["status"] != "RUNNING" for log in logs) and not services.webhooks.pending():
            return logs
        assert loop.time() < deadline, logs
        await asyncio.sleep(0.05)


async def delete_in_shopify(s: Stack, product_id: str) -> None:
    """The merchant deletes a product in the Shopify admin."""
    body = await s.shopify(
        "mutation($i: ProductDeleteInput!) { productDelete(input: $i) "
        "{ deletedProductId userErrors { message } } }",
        {"i": {"id": product_id}},
    )
    assert body["data"]["productDelete"]["userErrors"] == [], body


async def reconciling_pull(s: Stack) -> dict[str, Any]:
    """`pull(reconcileDeletions: true, wait: true)`: the finished log."""
    body = await s.api.gql(
        "mutation($c: ID!) { pull(channelId: $c, wait: true, reconcileDeletions: true) "
        "{ syncLog { status pulled skipped details } userErrors { message } } }",
        {"c": s.channel_id},
    )
    assert body["data"]["pull"]["userErrors"] == [], body
    log: dict[str, Any] = body["data"]["pull"]["syncLog"]
    return log
