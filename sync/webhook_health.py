"""Shopify deletes a webhook subscription whose deliveries kept failing past their retries
(docs/shopify-behaviours.md, "Webhooks"): the channel would go on believing it hears about every
change while nothing arrives. A reconciliation therefore also asks which of the channel's
subscriptions still exist and stops listing the others, so `webhooksRegistered` turns false,
the run's log says how many Shopify removed, and `channelUpdate(webhooks: true)` registers
them again. What was missed meanwhile is caught by the pulls (updates) and by the
reconciliation itself (deletions)."""

import logging

from db.channels import set_webhook_subscriptions
from sync.run import Run

log = logging.getLogger("sigma.webhooks")


async def drop_removed_subscriptions(run: Run) -> int:
    """How many of the channel's subscriptions Shopify no longer has (and are now forgotten)."""
    ids = list(run.channel.webhook_subscription_ids or [])
    if not ids:
        return 0
    existing = await run.client.existing_webhook_subscription_ids(ids)
    kept = [subscription_id for subscription_id in ids if subscription_id in existing]
    removed = len(ids) - len(kept)
    if removed:
        async with run.sessions() as session:
            await set_webhook_subscriptions(session, run.channel.id, kept)
        run.recorder.details["webhooks"] = {"removedByShopify": removed, "registered": len(kept)}
        log.warning(
            "Shopify removed %d of the channel's %d webhook subscriptions (their deliveries "
            "kept failing); register them again with channelUpdate(webhooks: true)",
            removed,
            len(ids),
        )
    return removed
