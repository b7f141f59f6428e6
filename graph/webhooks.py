"""POST /webhooks/shopify: Shopify's deliveries. No bearer token (Shopify signs each delivery
with HMAC instead, checked in sync.webhooks); the body is never logged."""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from graph import rest
from graph.services import Services
from sync.webhooks import Delivery, Outcome, receive


async def shopify_webhook(request: Request) -> Response:
    services: Services = request.app.state.services
    headers = request.headers
    delivery = Delivery(
        shop_domain=headers.get("x-shopify-shop-domain", ""),
        topic=headers.get("x-shopify-topic", ""),
        signature=headers.get("x-shopify-hmac-sha256", ""),
        # Older deliveries name the event only by X-Shopify-Webhook-Id.
        event_id=headers.get("x-shopify-event-id") or headers.get("x-shopify-webhook-id", ""),
        body=await request.body(),
    )
    received = await receive(services.sessions, services.box, delivery)
    if received.outcome is Outcome.UNAUTHORIZED:
        return rest.error(401, "UNAUTHORIZED", "the webhook signature does not verify")
    if received.outcome is Outcome.STORED:
        for channel_id in received.channel_ids:
            services.webhooks.notify(channel_id)
    return JSONResponse({"ok": True, "outcome": received.outcome.value})
