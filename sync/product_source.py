"""Where a run reads Shopify products from: paged queries, or a bulk operation's JSONL file."""

from collections.abc import AsyncIterator

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
    if not bulk:
        async for queried in run.client.iter_product_pages(updated_since=updated_since):
            yield queried
        return
    page: list[ProductRecord] = []
    async for product in run.client.run_bulk_query(updated_since):
        page.append(product)
        if len(page) >= run.options.batch_size:
            yield page
            page = []
    if page:
        yield page
