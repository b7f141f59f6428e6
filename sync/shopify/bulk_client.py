"""The bulk-operation half of ShopifyClient's interface (mixed into it).

`owner` (the channel) and `run` (the sync log) name every operation, so a lost start reply or
the leftover operation of a crashed run is recognised; before a run's first bulk operation the
channel's leftovers are cancelled (one run per channel at a time is enforced by the database,
so any running operation of the channel from another run is one).
"""

from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from typing import Any

from graphql import DocumentNode

from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.bulk import BulkOperations
from sync.shopify.bulk_limits import MAX_CONCURRENT, concurrent
from sync.shopify.bulk_results import (
    BulkLineResult,
    BulkProductSetLine,
    BulkProductSetResult,
    Progress,
)
from sync.shopify.config import ShopifyConfig
from sync.shopify.records import UserError

OnOperation = Callable[[str], None]


class BulkClient:
    """Needs `config`, `_bulk`, and the two recovery records set by the client's __init__."""

    config: ShopifyConfig
    _bulk_owners: set[str]  # channels whose leftovers this client has already looked for
    bulk_recovered: list[str]  # ids of the leftover operations it cancelled

    @property
    def _bulk(self) -> BulkOperations:
        raise NotImplementedError

    async def run_bulk_query(
        self,
        updated_since: str | None = None,
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: OnOperation | None = None,
    ) -> AsyncIterator[ProductRecord]:
        """Every product (updated since), from a bulk export; `on_progress(products so far)`."""
        await self._recover_once(owner, run)
        async for record in self._bulk.run_query(
            updated_since, owner=owner, run=run, on_progress=on_progress, on_operation=on_operation
        ):
            yield record

    async def run_bulk_product_set(
        self,
        lines: Sequence[BulkProductSetLine],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: OnOperation | None = None,
    ) -> list[BulkProductSetResult]:
        """productSet per line in bulk operations; `on_progress(lines done so far)`."""
        await self._recover_once(owner, run)
        return await self._bulk.run_product_set(
            lines, owner=owner, run=run, on_progress=on_progress, on_operation=on_operation
        )

    async def run_bulk_variant_updates(
        self,
        lines: Sequence[tuple[str, Sequence[Mapping[str, Any]]]],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: OnOperation | None = None,
    ) -> list[BulkProductSetResult]:
        """productVariantsBulkUpdate per (product id, variants) line, in bulk operations; each
        line's product as it stands after the update."""
        variables = [
            {"productId": product_id, "variants": [dict(v) for v in variants]}
            for product_id, variants in lines
        ]
        raw = await self.run_bulk_mutation(
            documents.BULK_PRODUCT_VARIANTS_UPDATE_MUTATION,
            variables,
            owner=owner,
            run=run,
            on_progress=on_progress,
            on_operation=on_operation,
        )
        return await self._bulk.product_results(raw, "productVariantsBulkUpdate")

    async def run_bulk_metafields_set(
        self,
        lines: Sequence[Sequence[Mapping[str, str]]],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: OnOperation | None = None,
    ) -> list[list[str]]:
        """metafieldsSet per line of at most 25 `{ownerId namespace key type value}` entries,
        in bulk operations; each line's problems (userErrors, or why it did not run)."""
        raw = await self.run_bulk_mutation(
            documents.METAFIELDS_SET_MUTATION,
            [{"metafields": [dict(entry) for entry in line]} for line in lines],
            owner=owner,
            run=run,
            on_progress=on_progress,
            on_operation=on_operation,
        )
        problems = []
        for result in raw:
            payload = (result.data or {}).get("metafieldsSet") or {}
            errors = [str(UserError.from_node(e)) for e in payload.get("userErrors") or []]
            if result.data is None:
                errors.append(result.error or "no result")
            problems.append(errors)
        return problems

    async def run_bulk_mutation(
        self,
        document: DocumentNode,
        lines: Sequence[Mapping[str, Any]],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: OnOperation | None = None,
    ) -> list[BulkLineResult]:
        """Any mutation document, once per line of variables; each line's `data` or error."""
        await self._recover_once(owner, run)
        return await self._bulk.run_mutation(
            document,
            lines,
            owner=owner,
            run=run,
            on_progress=on_progress,
            on_operation=on_operation,
        )

    @property
    def bulk_mutations_at_once(self) -> int:
        """Bulk mutations this store's API version lets one app run at once."""
        return MAX_CONCURRENT if concurrent(self.config.api_version) else 1

    async def recover_bulk_operations(self, owner: str, run: str) -> list[str]:
        """Cancel and wait out operations a crashed earlier run of channel `owner` left running."""
        return await self._bulk.recover(owner, run)

    async def _recover_once(self, owner: str, run: str) -> None:
        if owner and owner not in self._bulk_owners:
            self._bulk_owners.add(owner)
            self.bulk_recovered.extend(await self.recover_bulk_operations(owner, run))
