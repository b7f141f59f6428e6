"""Bulk operations: a whole-catalog product export, and any mutation run over JSONL lines.

An export starts `bulkOperationRunQuery`, polls it and regroups its JSONL result on disk
(`bulk_reassembly`). A bulk mutation splits its lines into files under the version's upload
limit, runs one operation per file (as many at once as the shop allows, shared with every
channel on that shop) and matches result lines back to input lines by `__lineNumber`; an
operation that ended FAILED or CANCELED still reports what its `partialDataUrl` says succeeded.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any

import aiohttp
from graphql import DocumentNode

from sync.pacer import pace
from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.bulk_control import OperationControl, operation_name, renamed
from sync.shopify.bulk_files import BulkFiles, ResultExpired, UploadTooLarge
from sync.shopify.bulk_jsonl import jsonl_lines, jsonl_raw_lines
from sync.shopify.bulk_limits import byte_chunks, chunk_budget, shop_slots, upload_limit
from sync.shopify.bulk_query import bulk_query_text
from sync.shopify.bulk_reassembly import DiskReassembler
from sync.shopify.bulk_results import (
    BulkLineResult,
    BulkProductSetLine,
    BulkProductSetResult,
    Progress,
    bulk_count,
    line_result,
)
from sync.shopify.config import ShopifyConfig
from sync.shopify.errors import ShopifyBulkOperationError
from sync.shopify.limiter import Clock, Sleep
from sync.shopify.product_reads import ProductReader
from sync.shopify.records import UserError, product_record
from sync.shopify.transport import GraphQLTransport


def _count(field: str, report: Progress | None) -> Callable[[dict[str, Any]], None] | None:
    if report is None:
        return None
    return lambda operation: report(str(operation.get("id")), bulk_count(operation.get(field)))


class BulkOperations:
    def __init__(
        self,
        config: ShopifyConfig,
        transport: GraphQLTransport,
        session: aiohttp.ClientSession,
        reader: ProductReader,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._config = config
        self._reader = reader
        self._files = BulkFiles(config, transport, session)
        self.control = OperationControl(config, transport, clock, sleep)
        self._slots = shop_slots(config.shop_domain)

    async def run_query(
        self,
        updated_since: str | None = None,
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: Callable[[str], None] | None = None,
    ) -> AsyncIterator[ProductRecord]:
        """Products of the export; an expired result file is exported once more."""
        version = self._config.api_version
        for attempt in (1, 2):
            async with self._slots.hold("QUERY", version):
                name = operation_name(owner, run)
                operation_id = await self.control.start(
                    "QUERY",
                    documents.BULK_OPERATION_RUN_QUERY_MUTATION,
                    {"query": bulk_query_text(updated_since, name)},
                    name,
                )
                if on_operation is not None:
                    on_operation(operation_id)
                operation = await self.control.wait(
                    operation_id, _count("rootObjectCount", on_progress)
                )
            status = operation.get("status")
            if status == "EXPIRED" and attempt == 1:
                continue
            if status != "COMPLETED":
                code = operation.get("errorCode") or "unknown"
                raise ShopifyBulkOperationError(
                    f"Shopify bulk operation {operation_id} ended {status} ({code})"
                )
            url = operation.get("url")
            if not url:
                return  # Shopify gives no file when nothing matched
            async with DiskReassembler() as spool:
                try:
                    await spool.add_all(jsonl_raw_lines(self._files.download(str(url))))
                except ResultExpired:
                    if attempt == 2:
                        raise
                    continue
                async for node in spool.products():
                    yield product_record(node)
            return

    async def run_mutation(
        self,
        document: DocumentNode,
        lines: Sequence[Mapping[str, Any]],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: Callable[[str], None] | None = None,
    ) -> list[BulkLineResult]:
        """Run `document` once per line of variables; one result per line, in order."""
        version = self._config.api_version
        limit = self._config.bulk_upload_limit or upload_limit(version)
        encoded = []
        for variables in lines:
            encoded.append(json.dumps(variables, separators=(",", ":")).encode() + b"\n")
            await pace()
        chunks, oversize = byte_chunks(encoded, chunk_budget(limit))
        results: dict[int, BulkLineResult] = {}
        for position in oversize:
            results[position] = BulkLineResult(
                position,
                None,
                f"the item's bulk line is {len(encoded[position])} bytes, more than a bulk "
                f"upload file may hold ({chunk_budget(limit)} bytes on API {version})",
            )
        done: dict[int, int] = {}

        async def one(positions: list[int]) -> None:
            index = len(done)
            done[index] = 0

            def count(operation: dict[str, Any]) -> None:
                done[index] = bulk_count(operation.get("objectCount"))
                if on_progress is not None:
                    on_progress(str(operation.get("id")), sum(done.values()))

            try:  # uploading holds no operation slot: only running operations count
                path = await self._files.stage(b"".join(encoded[p] for p in positions))
            except UploadTooLarge as refused:
                await self._split(positions, refused, one, results)
                return
            async with self._slots.hold("MUTATION", version):
                name = operation_name(owner, run)
                operation_id = await self.control.start(
                    "MUTATION",
                    documents.BULK_OPERATION_RUN_MUTATION_MUTATION,
                    {
                        "mutation": renamed(document, name),
                        "stagedUploadPath": path,
                        "clientIdentifier": name,
                    },
                    name,
                )
                if on_operation is not None:
                    on_operation(operation_id)
                operation = await self.control.wait(operation_id, count)
            await self._read_results(operation, positions, results)

        try:
            async with asyncio.TaskGroup() as group:
                for chunk in chunks:
                    group.create_task(one(chunk.lines))
        except BaseExceptionGroup as failures:
            raise failures.exceptions[0] from None
        return [results[n] for n in range(len(lines))]

    async def _split(
        self,
        positions: list[int],
        refused: UploadTooLarge,
        run_file: Callable[[list[int]], Awaitable[None]],
        into: dict[int, BulkLineResult],
    ) -> None:
        """Storage's limit is below what we assumed: halve the file, down to one line."""
        if len(positions) == 1:
            into[positions[0]] = BulkLineResult(
                positions[0], None, f"the item's bulk line alone is too large to upload ({refused})"
            )
            return
        middle = len(positions) // 2
        await asyncio.gather(run_file(positions[:middle]), run_file(positions[middle:]))

    async def _read_results(
        self, operation: Mapping[str, Any], positions: list[int], into: dict[int, BulkLineResult]
    ) -> None:
        status, operation_id = operation.get("status"), operation.get("id")
        url = operation.get("url") or operation.get("partialDataUrl")
        if url:
            # a local download is buffered whole: its lines would not yield without pace()
            try:
                async for line in jsonl_lines(self._files.download(str(url))):
                    await pace()
                    number = line.get("__lineNumber")
                    if isinstance(number, int) and 0 <= number < len(positions):
                        into[positions[number]] = line_result(positions[number], line)
            except ResultExpired as expired:
                status = f"{status} and its result file expired ({expired})"
        missing = (
            "no result"
            if status == "COMPLETED"
            else f"bulk operation {operation_id} ended {status} "
            f"({operation.get('errorCode') or 'no error code'}) before this line ran"
        )
        for position in positions:
            into.setdefault(position, BulkLineResult(position, None, missing))

    async def run_product_set(
        self,
        lines: Sequence[BulkProductSetLine],
        *,
        owner: str = "",
        run: str = "",
        on_progress: Progress | None = None,
        on_operation: Callable[[str], None] | None = None,
    ) -> list[BulkProductSetResult]:
        variables = []
        for identifier, input in lines:
            await pace()
            line: dict[str, Any] = {"input": dict(input)}
            if identifier is not None:
                line["identifier"] = dict(identifier)
            variables.append(line)
        raw = await self.run_mutation(
            documents.BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY,
            variables,
            owner=owner,
            run=run,
            on_progress=on_progress,
            on_operation=on_operation,
        )
        return await self.product_results(raw, "productSet")

    async def product_results(
        self, raw: Sequence[BulkLineResult], field: str
    ) -> list[BulkProductSetResult]:
        """Each line's product (nested lists read to their ends) or why there is none."""
        results = []
        for result in raw:
            results.append(await self._product_result(result, field))
            await pace()
        return results

    async def _product_result(self, result: BulkLineResult, field: str) -> BulkProductSetResult:
        if result.data is None:
            return BulkProductSetResult(result.line, None, [], error=result.error)
        payload = result.data.get(field) or {}
        user_errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        node = payload.get("product")
        if user_errors or not node:
            return BulkProductSetResult(result.line, None, user_errors, error=result.error)
        full = await self._reader.complete(node)
        return BulkProductSetResult(result.line, product_record(full), [])

    async def recover(self, owner: str, run: str) -> list[str]:
        """Cancel operations a crashed run of channel `owner` left running; wait until they end.

        Their lines are sent again by this run as upserts (keyed by id or the entity's unique
        metafield), so nothing is created twice; cancelling first keeps two operations from
        writing the same products at once and frees the shop's operation slots.
        """
        ended = []
        for operation in await self.control.orphans(owner, run):
            operation_id = str(operation["id"])
            if operation.get("status") != "CANCELING":
                await self.control.cancel(operation_id)
            await self.control.wait(operation_id)
            ended.append(operation_id)
        return ended
