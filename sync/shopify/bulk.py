"""Bulk operations: a whole-catalog product export and a bulk productSet import.

Both start a Shopify bulk operation, poll it with growing intervals until it ends, and stream
the JSONL result from its `url`. Staged-upload and result URLs point at Shopify's file storage,
not the Admin API, so they get no access token.
"""

import asyncio
import json
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    NameNode,
    StringValueNode,
    Visitor,
    print_ast,
    visit,
)

from sync.product import ProductRecord
from sync.shopify import documents
from sync.shopify.bulk_jsonl import jsonl_lines, jsonl_raw_lines
from sync.shopify.bulk_reassembly import DiskReassembler
from sync.shopify.config import ShopifyConfig
from sync.shopify.cost import MUTATION_COST
from sync.shopify.errors import ShopifyBulkOperationError
from sync.shopify.limiter import Clock, Sleep
from sync.shopify.product_reads import ProductReader, updated_since_query
from sync.shopify.records import UserError, product_record
from sync.shopify.transport import GraphQLTransport

# (identifier or None, productSet input) for one product.
BulkProductSetLine = tuple[Mapping[str, Any] | None, Mapping[str, Any]]

# Told the operation's id and its count so far (see BulkOperations.wait).
BulkProgress = Callable[[str, int], None]

_DONE_FAILED = {"FAILED", "CANCELED", "CANCELING", "EXPIRED"}


@dataclass(frozen=True)
class BulkProductSetResult:
    """The outcome of one line of a bulk productSet, by 0-based line number."""

    line: int
    product: ProductRecord | None
    user_errors: list[UserError]
    error: str | None = None  # the line failed as a whole (GraphQL errors, or no result)

    @property
    def ok(self) -> bool:
        return self.product is not None and not self.user_errors and self.error is None


class _AddQueryArgument(Visitor):
    def __init__(self, search: str) -> None:
        super().__init__()
        self._search = search

    def enter_field(self, node: FieldNode, *_: Any) -> FieldNode | None:
        if node.name.value != "products":
            return None
        argument = ArgumentNode(
            name=NameNode(value="query"), value=StringValueNode(value=self._search)
        )
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=(*(node.arguments or ()), argument),
            directives=node.directives,
            selection_set=node.selection_set,
        )


def bulk_query_text(updated_since: str | None = None) -> str:
    """The bulk export query, with the updated_at filter set through the AST (escaped on print)."""
    document: DocumentNode = documents.BULK_PRODUCTS_QUERY
    if updated_since:
        document = visit(document, _AddQueryArgument(updated_since_query(updated_since)))
    return print_ast(document)


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
        self._transport = transport
        self._session = session
        self._reader = reader
        self._clock = clock
        self._sleep = sleep

    async def run_query(
        self, updated_since: str | None = None, on_progress: BulkProgress | None = None
    ) -> AsyncIterator[ProductRecord]:
        data = await self._transport.execute(
            documents.BULK_OPERATION_RUN_QUERY_MUTATION,
            {"query": bulk_query_text(updated_since)},
            estimated_cost=MUTATION_COST,
        )
        operation_id = self._started(data.get("bulkOperationRunQuery"), "product export")
        operation = await self.wait(operation_id, on_progress, "rootObjectCount")
        url = operation.get("url")
        if not url:
            return  # Shopify gives no file when nothing matched
        async with DiskReassembler() as spool:
            await spool.add_all(jsonl_raw_lines(self._download(str(url))))
            async for node in spool.products():
                yield product_record(node)

    async def run_product_set(
        self, lines: Iterable[BulkProductSetLine], on_progress: BulkProgress | None = None
    ) -> list[BulkProductSetResult]:
        materialised = list(lines)
        body = b"".join(_variables_line(identifier, input) for identifier, input in materialised)
        # Restarting an import is only harmless when every line is an upsert.
        keyed = all(identifier is not None or input.get("id") for identifier, input in materialised)
        count = body.count(b"\n")
        if count == 0:
            return []
        path = await self._stage(body)
        data = await self._transport.execute(
            documents.BULK_OPERATION_RUN_MUTATION_MUTATION,
            {
                "mutation": print_ast(documents.BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY),
                "stagedUploadPath": path,
                "clientIdentifier": None,
            },
            estimated_cost=MUTATION_COST,
            idempotent=keyed,
        )
        operation_id = self._started(data.get("bulkOperationRunMutation"), "product import")
        operation = await self.wait(operation_id, on_progress)
        results: dict[int, BulkProductSetResult] = {}
        url = operation.get("url") or operation.get("partialDataUrl")
        if url:
            async for line in jsonl_lines(self._download(str(url))):
                result = await self._line_result(line)
                if result is not None:
                    results[result.line] = result
        return [
            results.get(n)
            or BulkProductSetResult(line=n, product=None, user_errors=[], error="no result")
            for n in range(count)
        ]

    async def wait(
        self,
        operation_id: str,
        on_progress: BulkProgress | None = None,
        count_field: str = "objectCount",
    ) -> dict[str, Any]:
        """Poll the operation until it ends; return it when COMPLETED, raise otherwise.

        Each poll passes `count_field` (objectCount: lines an import has run; rootObjectCount:
        products an export has written) to `on_progress`, so a run's log moves meanwhile.
        """
        interval = self._config.bulk_poll_interval
        deadline = self._clock() + self._config.bulk_timeout
        if on_progress is not None:
            on_progress(operation_id, 0)
        while True:
            data = await self._transport.execute(
                documents.BULK_OPERATION_QUERY, {"id": operation_id}, estimated_cost=2
            )
            operation = data.get("node") or {}
            status = operation.get("status")
            if on_progress is not None:
                on_progress(operation_id, _count(operation.get(count_field)))
            if status == "COMPLETED":
                return dict(operation)
            if status in _DONE_FAILED or not operation:
                code = operation.get("errorCode") or "unknown"
                raise ShopifyBulkOperationError(
                    f"Shopify bulk operation {operation_id} ended {status or 'missing'} ({code})"
                )
            if self._clock() + interval > deadline:
                raise ShopifyBulkOperationError(
                    f"Shopify bulk operation {operation_id} still {status} after "
                    f"{self._config.bulk_timeout:.0f}s"
                )
            await self._sleep(interval)
            interval = min(self._config.bulk_poll_max_interval, interval * 2)

    def _started(self, payload: Any, what: str) -> str:
        payload = payload if isinstance(payload, Mapping) else {}
        errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        operation = payload.get("bulkOperation") or {}
        if errors or not operation.get("id"):
            detail = "; ".join(str(e) for e in errors) or "no operation returned"
            raise ShopifyBulkOperationError(f"Shopify refused to start the {what}: {detail}")
        return str(operation["id"])

    async def _stage(self, body: bytes) -> str:
        data = await self._transport.execute(
            documents.STAGED_UPLOADS_CREATE_MUTATION,
            {
                "input": [
                    {
                        "resource": "BULK_MUTATION_VARIABLES",
                        "filename": "sigma-product-set.jsonl",
                        "mimeType": "text/jsonl",
                        "httpMethod": "POST",
                    }
                ]
            },
            estimated_cost=MUTATION_COST,
        )
        payload = data.get("stagedUploadsCreate") or {}
        errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        targets = payload.get("stagedTargets") or []
        if errors or not targets:
            detail = "; ".join(str(e) for e in errors) or "no upload target"
            raise ShopifyBulkOperationError(f"Shopify refused the bulk upload: {detail}")
        target = targets[0]
        parameters = [(str(p["name"]), str(p["value"])) for p in target.get("parameters") or []]
        form = aiohttp.FormData()
        for name, value in parameters:  # storage signatures require fields before the file
            form.add_field(name, value)
        form.add_field("file", body, filename="sigma-product-set.jsonl", content_type="text/jsonl")
        timeout = aiohttp.ClientTimeout(total=max(self._config.timeout, 120.0))
        async with self._session.post(str(target["url"]), data=form, timeout=timeout) as response:
            await response.read()
            if response.status >= 300:
                raise ShopifyBulkOperationError(
                    f"uploading the bulk import file failed (HTTP {response.status})"
                )
        key = dict(parameters).get("key")
        return key or str(target.get("resourceUrl") or "")

    async def _download(self, url: str) -> AsyncIterator[bytes]:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=self._config.timeout)
        async with self._session.get(url, timeout=timeout) as response:
            if response.status != 200:
                raise ShopifyBulkOperationError(
                    f"downloading the bulk operation result failed (HTTP {response.status})"
                )
            async for chunk in response.content.iter_chunked(1 << 16):
                yield chunk

    async def _line_result(self, line: Mapping[str, Any]) -> BulkProductSetResult | None:
        number = line.get("__lineNumber")
        if not isinstance(number, int):
            return None
        errors = line.get("errors")
        if errors:
            messages = [
                str(e.get("message")) if isinstance(e, Mapping) else str(e)
                for e in (errors if isinstance(errors, list) else [errors])
            ]
            return BulkProductSetResult(number, None, [], error="; ".join(messages))
        payload = (line.get("data") or {}).get("productSet") or {}
        user_errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        node = payload.get("product")
        if user_errors or not node:
            return BulkProductSetResult(number, None, user_errors)
        full = await self._reader.complete(node)
        return BulkProductSetResult(number, product_record(full), [])


def _count(value: Any) -> int:
    """BulkOperation counts are UnsignedInt64, which Shopify serialises as a string."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _variables_line(identifier: Mapping[str, Any] | None, input: Mapping[str, Any]) -> bytes:
    variables: dict[str, Any] = {"input": dict(input)}
    if identifier is not None:
        variables["identifier"] = dict(identifier)
    return json.dumps(variables, separators=(",", ":")).encode() + b"\n"
