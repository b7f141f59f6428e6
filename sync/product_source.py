"""Where a run reads Shopify products from: paged queries, or a bulk operation's JSONL file."""

from collections.abc import AsyncIterator

from db.enums import SyncPhase
from sync.product import ProductRecord
from sync.run import BulkMode, Run


async def product_pages(run: Run, updated_since: str | None) -> AsyncIterator[list[ProductRecord]]:
    """Pages of products updated since `updated_since` (None: the whole store).

    A full read uses a bulk operation: it costs a few points instead of ~15 per product and
    streams the result file, so memory does not grow with the store. An incremental read of
    recent changes is a handful of paged queries.
    """
    mode = run.options.bulk
    bulk = mode == BulkMode.ALWAYS or (mode == BulkMode.AUTO and updated_since is None)
    run.recorder.details["pullMode"] = "bulk" if bulk else "per-item"
    run.recorder.set_phase(SyncPhase.READING)
    if not bulk:
        async for queried in run.client.iter_product_pages(updated_since=updated_since):
            yield queried
        return
    page: list[ProductRecord] = []
    recorder = run.recorder
    operations: list[str] = recorder.details.setdefault("bulkOperationIds", [])
    products = run.client.run_bulk_query(
        updated_since,
        owner=run.channel.id,
        run=recorder.log_id,
        on_progress=recorder.bulk_export_progress,
        on_operation=operations.append,
    )
    async for product in products:
        if recorder.phase == SyncPhase.WAITING_FOR_SHOPIFY:
            # The export is complete: its product count is what this run will handle.
            recorder.set_phase(SyncPhase.READING)
            recorder.total = recorder.details.get("bulkObjectCount")
        page.append(product)
        if len(page) >= run.options.batch_size:
            yield page
            page = []
    if page:
        yield page
