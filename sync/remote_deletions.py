"""Products deleted in Shopify: the channel's remoteDeletePolicy, and the reconciliation that
finds such deletions without webhooks (docs/sync-semantics.md, "Remote deletions").

UNLINK keeps the entity and drops its mapping: the PIM keeps the data, and a later push
creates a new product (the old one is gone). DELETE removes the entity as well; it is recorded
as an entity deletion, so every other channel of that entity applies its own deletePolicy.
"""

from collections.abc import Sequence

from db.channels import mark_reconciled
from db.clock import utcnow
from db.enums import RemoteDeletePolicy, SyncPhase
from db.remote_deletions import mapped_external_ids, unlink_or_delete
from db.sync_mappings import mappings_for_products
from sync.run import Run
from sync.shopify.remote_client import MAX_IDS
from sync.webhook_health import drop_removed_subscriptions


async def apply_remote_deletions(run: Run, product_ids: Sequence[str]) -> int:
    """Apply the policy to the mapped ones among these deleted products; returns how many."""
    if not product_ids:
        return 0
    async with run.sessions() as session:
        mappings = await mappings_for_products(session, run.channel.id, list(product_ids))
    if not mappings:
        return 0
    policy = RemoteDeletePolicy(run.channel.remote_delete_policy)
    async with run.sessions() as session:
        await unlink_or_delete(
            session, list(mappings.values()), policy == RemoteDeletePolicy.DELETE
        )
    details = run.recorder.details.setdefault(
        "remoteDeletions", {"policy": policy.value, "applied": 0}
    )
    details["applied"] += len(mappings)
    run.recorder.count("pulled", len(mappings))
    return len(mappings)


async def reconcile_remote_deletions(run: Run) -> int:
    """Compare every mapped product id with the store, 250 ids a request (`nodes(ids:)`
    selecting only `id`: about one cost point a product), and apply the policy to the missing.

    Cheaper than a bulk export of ids for the stores a channel maps (one request per 250
    mappings, no file), and exact: it asks about precisely the products the PIM links to.
    """
    run.recorder.set_phase(SyncPhase.READING)
    # A product deleted after this moment may be missed by this pass, not by the next one.
    began = utcnow()
    after, gone = "", 0
    while True:
        async with run.sessions() as session:
            page = await mapped_external_ids(session, run.channel.id, after, MAX_IDS)
        if not page:
            break
        after = page[-1][0]
        ids = [external_id for _, external_id in page]
        existing = await run.client.existing_product_ids(ids)
        missing = [external_id for external_id in ids if external_id not in existing]
        gone += await apply_remote_deletions(run, missing)
        run.recorder.count("skipped", len(ids) - len(missing))
        await run.recorder.maybe_flush()
    async with run.sessions() as session:
        await mark_reconciled(session, run.channel.id, began)
        await session.commit()
    run.recorder.details["reconciled"] = True
    await drop_removed_subscriptions(run)
    return gone
