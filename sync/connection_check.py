"""A channel's Shopify settings, and the connection test a person waits for."""

from collections.abc import Callable
from dataclasses import dataclass, replace

from db.channels import access_token
from db.clock import utcnow
from db.errors import UserError, UserErrorCode, UserErrors
from db.models import Channel
from db.secret_box import SecretBox, SecretBoxError
from sync.shopify import versions
from sync.shopify.client import ShopifyClient
from sync.shopify.config import ShopifyConfig
from sync.shopify.errors import ShopifyError
from sync.shopify.records import ShopInfo

ClientFactory = Callable[[ShopifyConfig], ShopifyClient]


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str
    shop: ShopInfo | None


def shopify_config(
    box: SecretBox,
    base_url: str | None,
    channel: Channel,
    field: str,
    bulk_poll_seconds: float = 1.0,
) -> ShopifyConfig:
    """The channel's store settings; userErrors on `field` without usable credentials."""
    try:
        token = access_token(box, channel)
    except SecretBoxError as failure:
        raise UserErrors(
            [UserError([field], str(failure), UserErrorCode.CREDENTIALS_UNREADABLE)]
        ) from None
    if not token:
        raise UserErrors(
            [
                UserError(
                    [field],
                    "the channel has no access token; set accessToken first",
                    UserErrorCode.NO_CREDENTIALS,
                )
            ]
        )
    return ShopifyConfig(
        shop_domain=channel.shop_domain,
        access_token=token,
        api_version=channel.api_version,
        base_url=base_url,
        bulk_poll_interval=bulk_poll_seconds,
        bulk_poll_max_interval=bulk_poll_seconds,
    )


async def check_connection(
    client_factory: ClientFactory, config: ShopifyConfig, timeout: float
) -> ConnectionResult:
    # A person is waiting for the answer: retry briefly, then say what is wrong.
    config = replace(config, timeout=timeout, max_retries=2, max_retry_time=10.0)
    try:
        async with client_factory(config) as client:
            shop = await client.shop()
    except ShopifyError as failure:
        return ConnectionResult(False, str(failure), None)
    notes = [f"Connected to {shop.name} ({shop.myshopify_domain})"]
    served = client.stats.api_version_served
    if served:
        notes.append(f"Shopify answered with API version {served}, not {config.api_version}")
    warning = versions.warning(config.api_version, utcnow().date())
    if warning:
        notes.append(f"warning: {warning}")
    return ConnectionResult(True, "; ".join(notes), shop)
