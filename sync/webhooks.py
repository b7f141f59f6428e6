"""Receiving Shopify webhooks: verify, deduplicate, store. The work happens later
(sync.webhook_drain), because Shopify counts a delivery as failed when the answer takes more
than five seconds and retries it ("Troubleshooting webhooks":
https://shopify.dev/docs/apps/build/webhooks/troubleshooting-webhooks).

Verification (https://shopify.dev/docs/apps/build/webhooks/verify-deliveries): the
`X-Shopify-Hmac-SHA256` header is base64(HMAC-SHA256(raw body, the app's client secret)),
computed over the raw bytes before any parsing and compared in constant time. The channel is
found by `X-Shopify-Shop-Domain`; several channels may share a store, so the event is stored
for each of them whose secret verifies. Duplicates: Shopify may deliver an event more than once
and names it by `X-Shopify-Event-Id` ("Ignore duplicate webhooks":
https://shopify.dev/docs/apps/build/webhooks/ignore-duplicates); a unique row per channel and
event drops the repeats.
"""

import base64
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from enum import Enum

from db.channels import webhook_secret
from db.engine import SessionFactory
from db.secret_box import SecretBox, SecretBoxError
from db.webhook_events import channels_for_shop, record_event

log = logging.getLogger("sigma.webhooks")

TOPICS = ("products/create", "products/update", "products/delete")


class Outcome(Enum):
    STORED = "stored"
    DUPLICATE = "duplicate"  # every verifying channel had it already
    IGNORED = "ignored"  # signed, but a topic or payload this service does not use
    UNAUTHORIZED = "unauthorized"


@dataclass(frozen=True)
class Delivery:
    """What a webhook request carries, as received (the body unparsed)."""

    shop_domain: str
    topic: str
    signature: str
    event_id: str
    body: bytes


@dataclass(frozen=True)
class Received:
    outcome: Outcome
    channel_ids: tuple[str, ...] = ()


def signature(secret: str, body: bytes) -> str:
    """Shopify's X-Shopify-Hmac-SHA256 value for this body."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verifies(secret: str, body: bytes, supplied: str) -> bool:
    return hmac.compare_digest(signature(secret, body).encode(), supplied.encode())


def product_gid(body: bytes) -> str | None:
    """The product a products/* payload is about: `admin_graphql_api_id`, else its numeric
    `id` (the only field a products/delete payload carries)."""
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    if not isinstance(payload, dict):
        return None
    gid = payload.get("admin_graphql_api_id")
    if isinstance(gid, str) and gid.startswith("gid://shopify/Product/"):
        return gid
    number = payload.get("id")
    if isinstance(number, int) and not isinstance(number, bool) and number > 0:
        return f"gid://shopify/Product/{number}"
    return None


async def receive(sessions: SessionFactory, box: SecretBox, delivery: Delivery) -> Received:
    """Verify and store one delivery; nothing is stored unless a channel's secret verifies."""
    if not delivery.signature or not delivery.shop_domain:
        return Received(Outcome.UNAUTHORIZED)
    async with sessions() as session:
        channels = await channels_for_shop(session, delivery.shop_domain)
    verified: list[str] = []
    for channel in channels:
        try:
            secret = webhook_secret(box, channel)
        except SecretBoxError:
            log.warning("channel %s: its webhook secret cannot be decrypted", channel.id)
            continue
        if secret and verifies(secret, delivery.body, delivery.signature):
            verified.append(channel.id)
    if not verified:
        return Received(Outcome.UNAUTHORIZED)
    product_id = product_gid(delivery.body)
    if delivery.topic not in TOPICS or product_id is None or not delivery.event_id:
        log.info("webhook %r for %s ignored", delivery.topic, ", ".join(verified))
        return Received(Outcome.IGNORED, tuple(verified))
    stored: list[str] = []
    for channel_id in verified:
        async with sessions() as session:
            if await record_event(
                session, channel_id, delivery.event_id[:255], delivery.topic, product_id
            ):
                stored.append(channel_id)
    if not stored:
        return Received(Outcome.DUPLICATE, tuple(verified))
    return Received(Outcome.STORED, tuple(stored))
