"""channelUpdate's `webhooks`: register the channel's product webhook subscriptions at
Shopify (`webhookSubscriptionCreate`, callback `{SIGMA_PUBLIC_URL}/webhooks/shopify`) or
remove them (`webhookSubscriptionDelete`), together with the channel's other changes.

Nothing is half-written: the preconditions are checked first, subscriptions made before a
failure are deleted again, and the channel (its other values and the subscription ids) is
saved only after Shopify accepted every subscription.
"""

from sqlalchemy.ext.asyncio import AsyncSession

from db.channels import require_channel, set_webhook_subscriptions
from db.errors import UserError, UserErrorCode, UserErrors
from db.models import Channel
from db.secret_box import SecretBox
from sync.channels import UNSET, ChannelInput, update_channel
from sync.runner import Runner
from sync.shopify.client import ShopifyClient
from sync.shopify.errors import ShopifyError

TOPICS = ("PRODUCTS_CREATE", "PRODUCTS_UPDATE", "PRODUCTS_DELETE")
WEBHOOK_PATH = "/webhooks/shopify"


def _refused(message: str, code: UserErrorCode, field: str = "webhooks") -> UserErrors:
    return UserErrors([UserError([field], message, code)])


def _preconditions(channel: Channel, data: ChannelInput, public_url: str | None) -> None:
    if not public_url:
        raise _refused(
            "SIGMA_PUBLIC_URL is not set: the server does not know the address Shopify should "
            "call; set it (e.g. https://pim.example.com) and restart",
            UserErrorCode.NO_PUBLIC_URL,
        )
    secret_given = data.webhook_secret is not UNSET and bool(data.webhook_secret)
    secret_removed = data.webhook_secret is not UNSET and not data.webhook_secret
    if secret_removed or not (secret_given or channel.webhook_secret_encrypted):
        raise _refused(
            "webhookSecret is required to receive webhooks (the app's client secret, which "
            "Shopify signs them with)",
            UserErrorCode.REQUIRED,
            "webhookSecret",
        )


async def _delete_all(client: ShopifyClient, subscription_ids: list[str]) -> list[str]:
    """Delete subscriptions; one that is gone already counts as deleted. Returns problems."""
    problems: list[str] = []
    for subscription_id in subscription_ids:
        errors = await client.delete_webhook_subscription(subscription_id)
        problems += [e.message for e in errors if "does not exist" not in e.message.lower()]
    return problems


async def _register(client: ShopifyClient, callback_url: str) -> list[str]:
    created: list[str] = []
    for topic in TOPICS:
        subscription_id, errors = await client.create_webhook_subscription(topic, callback_url)
        if errors or subscription_id is None:
            await _delete_all(client, created)
            detail = "; ".join(e.message for e in errors) or "no subscription came back"
            raise _refused(
                f"Shopify refused the {topic} subscription: {detail}", UserErrorCode.INVALID
            )
        created.append(subscription_id)
    return created


async def update_channel_and_webhooks(
    session: AsyncSession,
    box: SecretBox,
    runner: Runner,
    channel_id: str,
    data: ChannelInput,
    webhooks: bool | None,
    allow_any_host: bool,
    public_url: str | None,
) -> Channel:
    """channelUpdate: the channel's values, and with `webhooks` its subscriptions (True:
    (re)register them, False: remove them; None: leave them)."""
    if webhooks is None:
        return await update_channel(session, box, channel_id, data, allow_any_host)
    channel = await require_channel(session, channel_id, "id")
    if webhooks:
        _preconditions(channel, data, public_url)
    old = list(channel.webhook_subscription_ids or [])
    client = runner.client_for(channel, "webhooks")
    try:
        async with client:
            problems = await _delete_all(client, old)
            if problems:
                raise _refused(
                    f"Shopify refused to remove a subscription: {'; '.join(problems)}",
                    UserErrorCode.INVALID,
                )
            try:
                created = await _register(client, f"{public_url}{WEBHOOK_PATH}") if webhooks else []
            except UserErrors:
                if old:  # removed at Shopify above: the channel must not list them any more
                    await set_webhook_subscriptions(session, channel_id, [])
                raise
            try:
                data.webhook_subscription_ids = created
                return await update_channel(session, box, channel_id, data, allow_any_host)
            except UserErrors:
                await _delete_all(client, created)
                raise
    except ShopifyError as failure:
        raise _refused(
            f"Shopify could not be reached: {failure}", UserErrorCode.SHOPIFY_ERROR
        ) from None
