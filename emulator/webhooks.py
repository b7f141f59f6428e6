"""Webhook subscriptions and their delivery, as Shopify does them.

- Subscriptions: `webhookSubscriptionCreate` / `webhookSubscriptionDelete` /
  `webhookSubscriptions` (Admin GraphQL reference). Shopify refuses a second subscription of
  one topic to one address ("Address for this topic has already been taken") and addresses
  that are not HTTPS; the emulator also accepts plain http:// to a loopback host, because
  tests listen on 127.0.0.1 without TLS (nothing else about the address is relaxed).
- Delivery (https://shopify.dev/docs/apps/build/webhooks): a POST of the JSON payload with
  X-Shopify-Topic, X-Shopify-Hmac-Sha256 (base64 HMAC-SHA256 of the raw body with the app's
  client secret, https://shopify.dev/docs/apps/build/webhooks/verify-deliveries),
  X-Shopify-Shop-Domain, X-Shopify-API-Version, X-Shopify-Webhook-Id, X-Shopify-Event-Id and
  X-Shopify-Triggered-At. Each subscription gets its own delivery of an event, all with the
  event's id ("Ignore duplicate webhooks").
- Retries: a delivery fails on a non-2xx answer or no answer within five seconds
  ("Troubleshooting webhooks"), and is retried 8 times over 4 hours with exponential backoff,
  with the original payload (changelog "Updates to webhook retry mechanism", 2024-09-10).
  Shopify does not publish the exact intervals: RETRY_DELAYS doubles from 56 s so the eight
  add up to four hours; tests pass a short schedule.
- Removal: "if failures persist past that point the webhook subscription is removed"
  ("Troubleshooting webhooks"), automatically for a subscription made through the Admin API,
  as every subscription here is: a delivery whose retries all failed deletes its subscription,
  and that subscription's later events are never sent.
"""

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import aiohttp

from emulator.clock import iso
from emulator.ids import gid, gid_number
from emulator.models import Product
from emulator.store import Store

log = logging.getLogger("emulator.webhooks")

TOPICS = {
    "PRODUCTS_CREATE": "products/create",
    "PRODUCTS_UPDATE": "products/update",
    "PRODUCTS_DELETE": "products/delete",
}
RETRY_DELAYS: tuple[float, ...] = tuple(56.0 * 2**n for n in range(8))
TIMEOUT = 5.0
DEFAULT_CLIENT_SECRET = "shpss_emulator_client_secret"
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass
class Subscription:
    id: int
    topic: str  # the enum name, e.g. PRODUCTS_UPDATE
    callback_url: str
    api_version: str
    created_at: int
    updated_at: int


@dataclass
class Attempt:
    """One POST of a delivery (tests read these)."""

    event_id: str
    topic: str
    url: str
    status: int | None  # None: no answer in time or no connection


@dataclass
class WebhookConfig:
    # The app's client secret: what Shopify signs deliveries with.
    client_secret: str = field(default=DEFAULT_CLIENT_SECRET, repr=False)
    retry_delays: Sequence[float] = RETRY_DELAYS
    timeout: float = TIMEOUT


# Field resolvers of WebhookSubscription over a Subscription record (emulator.resolvers).
WEBHOOK_SUBSCRIPTION: dict[str, Any] = {
    "id": lambda s, _: gid("WebhookSubscription", s.id),
    "callbackUrl": lambda s, _: s.callback_url,
    "uri": lambda s, _: s.callback_url,
    "format": lambda s, _: "JSON",
    "createdAt": lambda s, _: s.created_at,
    "updatedAt": lambda s, _: s.updated_at,
}


def _address_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "Address is invalid"
    if not parts.hostname:
        return "Address is invalid"
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK):
        return None
    return f"Address protocol {parts.scheme}:// is not supported"


class Webhooks:
    """The shop's subscriptions, and the deliveries of product events to them."""

    def __init__(self, store: Store, config: WebhookConfig | None = None) -> None:
        self.store = store
        self.config = config or WebhookConfig()
        self.subscriptions: dict[int, Subscription] = {}
        # subscriptions Shopify deleted after a delivery failed past its retries
        self.removed: list[Subscription] = []
        self.attempts: list[Attempt] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self._session: aiohttp.ClientSession | None = None

    # -- subscriptions (GraphQL) -------------------------------------------------------------

    def create(self, topic: str, data: dict[str, Any], version: str) -> dict[str, Any]:
        url = str(data.get("callbackUrl") or data.get("uri") or "")
        field_name = "callbackUrl" if data.get("callbackUrl") else "uri"
        problem = _address_problem(url) if url else "Address can't be blank"
        if problem is None and any(
            s.topic == topic and s.callback_url == url for s in self.subscriptions.values()
        ):
            problem = "Address for this topic has already been taken"
        if problem is not None:
            error = {"field": ["webhookSubscription", field_name], "message": problem}
            return {"webhookSubscription": None, "userErrors": [error]}
        now = self.store.now()
        sub = Subscription(self.store.next_id(), topic, url, version, now, now)
        self.subscriptions[sub.id] = sub
        return {"webhookSubscription": sub, "userErrors": []}

    def delete(self, subscription_id: str) -> dict[str, Any]:
        number = gid_number(subscription_id, "WebhookSubscription")
        if number is None or self.subscriptions.pop(number, None) is None:
            error = {"field": ["id"], "message": "Webhook subscription does not exist"}
            return {"deletedWebhookSubscriptionId": None, "userErrors": [error]}
        return {"deletedWebhookSubscriptionId": subscription_id, "userErrors": []}

    def listed(self, topics: Sequence[str] | None = None) -> list[Subscription]:
        return [s for s in self.subscriptions.values() if not topics or s.topic in topics]

    # -- what a request changed ---------------------------------------------------------------

    def snapshot(self) -> dict[int, int] | None:
        """Each product's edit counter, or None when nobody listens (no cost then)."""
        if not self.subscriptions:
            return None
        return {product.id: product.edit for product in self.store.products.values()}

    def emit_changes(self, before: dict[int, int] | None) -> None:
        if before is None:
            return
        products = self.store.products
        for product_id, product in products.items():
            edit = before.get(product_id)
            if edit is None:
                self.emit("PRODUCTS_CREATE", product_payload(self.store, product))
            elif edit != product.edit:
                self.emit("PRODUCTS_UPDATE", product_payload(self.store, product))
        for product_id in before.keys() - products.keys():
            self.emit("PRODUCTS_DELETE", {"id": product_id})

    # -- delivery -------------------------------------------------------------------------------

    def emit(self, topic: str, payload: dict[str, Any]) -> None:
        event_id = str(uuid.uuid4())
        triggered = iso(self.store.now())
        body = json.dumps(payload, separators=(",", ":")).encode()
        for sub in list(self.subscriptions.values()):
            if sub.topic != topic:
                continue
            headers = {
                "Content-Type": "application/json",
                "X-Shopify-Topic": TOPICS[topic],
                "X-Shopify-Hmac-Sha256": sign(self.config.client_secret, body),
                "X-Shopify-Shop-Domain": self.store.shop.domain,
                "X-Shopify-API-Version": sub.api_version,
                "X-Shopify-Webhook-Id": str(uuid.uuid4()),
                "X-Shopify-Event-Id": event_id,
                "X-Shopify-Triggered-At": triggered,
            }
            task = asyncio.get_running_loop().create_task(self._deliver(sub, headers, body))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _deliver(self, sub: Subscription, headers: dict[str, str], body: bytes) -> None:
        """The first attempt, then one per retry delay until a 2xx answer; when every retry
        failed, the subscription is removed."""
        url = sub.callback_url
        if self._session is None:
            self._session = aiohttp.ClientSession()
        delays = [0.0, *self.config.retry_delays]
        for delay in delays:
            if delay:
                await asyncio.sleep(delay)
            status: int | None = None
            try:
                async with self._session.post(
                    url,
                    data=body,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=self.config.timeout),
                ) as response:
                    status = response.status
            except (TimeoutError, aiohttp.ClientError):
                status = None
            self.attempts.append(
                Attempt(headers["X-Shopify-Event-Id"], headers["X-Shopify-Topic"], url, status)
            )
            if status is not None and 200 <= status < 300:
                return
        if self.subscriptions.pop(sub.id, None) is not None:
            self.removed.append(sub)
        log.info("webhook %s to %s given up; subscription removed", headers["X-Shopify-Topic"], url)

    async def idle(self) -> None:
        """Wait until every delivery (with its retries) has ended."""
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*list(self.tasks), return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None


def sign(secret: str, body: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def product_payload(store: Store, product: Product) -> dict[str, Any]:
    """The REST-shaped product a products/create or products/update webhook carries (the
    fields this service reads, and the common ones around them)."""
    return {
        "id": product.id,
        "admin_graphql_api_id": gid("Product", product.id),
        "title": product.title,
        "handle": product.handle,
        "body_html": product.description_html,
        "vendor": product.vendor,
        "product_type": product.product_type,
        "status": product.status.lower(),
        "tags": ", ".join(product.tags),
        "created_at": iso(product.created_at),
        "updated_at": iso(product.updated_at),
        "variants": [
            {
                "id": variant.id,
                "admin_graphql_api_id": gid("ProductVariant", variant.id),
                "product_id": product.id,
                "sku": variant.sku,
                "price": variant.price,
            }
            for variant in product.variants
        ],
    }
