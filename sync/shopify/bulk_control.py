"""Starting, finding, polling and cancelling bulk operations.

Every operation we start carries a name made from the channel, the run and the chunk
(`SigmaBulk__<channel>__<run>__<n>`), as its GraphQL operation name and as `clientIdentifier`.
Shopify's BulkOperation has no clientIdentifier field to read back, but it returns the `query`
text the operation runs, which holds the name: so an operation whose start reply was lost, or
that a crashed run left behind, can be found again (`bulkOperations` from 2026-01,
`currentBulkOperation` before) instead of being started twice.
"""

import itertools
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from graphql import DocumentNode, NameNode, OperationDefinitionNode, print_ast

from sync.shopify import documents
from sync.shopify.config import ShopifyConfig
from sync.shopify.cost import MUTATION_COST
from sync.shopify.errors import ShopifyBulkOperationError, ShopifyGraphQLError, ShopifyUnavailable
from sync.shopify.limiter import Clock, Sleep
from sync.shopify.records import UserError
from sync.shopify.transport import GraphQLTransport
from sync.shopify.versions import has_feature

Kind = Literal["QUERY", "MUTATION"]
ACTIVE = frozenset({"CREATED", "RUNNING", "CANCELING"})
# userError codes that mean "not now": the shop's operations limit, here or in another process.
_LATER = frozenset({"OPERATION_IN_PROGRESS", "LIMIT_REACHED"})
# Longest pause between starts refused for the limit: operations last minutes, not seconds.
_LATER_MAX_WAIT = 30.0
_PREFIX = "SigmaBulk__"
_numbers = itertools.count(1)


def _clean(text: str) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", text) or "x"


def operation_name(owner: str, run: str) -> str:
    """A fresh name for one operation of `run` on channel `owner` (a valid GraphQL name)."""
    return f"{_PREFIX}{_clean(owner)}__{_clean(run)}__{next(_numbers)}"


def renamed(document: DocumentNode, name: str) -> str:
    """The document's text with its operation named `name`."""
    definitions = []
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            definition = OperationDefinitionNode(
                operation=definition.operation,
                name=NameNode(value=name),
                variable_definitions=definition.variable_definitions,
                directives=definition.directives,
                selection_set=definition.selection_set,
            )
        definitions.append(definition)
    return print_ast(DocumentNode(definitions=tuple(definitions)))


def _names(operation: Mapping[str, Any], name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", str(operation.get("query") or "")) is not None


class OperationControl:
    def __init__(
        self, config: ShopifyConfig, transport: GraphQLTransport, clock: Clock, sleep: Sleep
    ) -> None:
        self._config = config
        self._transport = transport
        self._clock = clock
        self._sleep = sleep
        self.adopted = 0  # operations found again after a lost start reply

    async def start(
        self, kind: Kind, document: DocumentNode, variables: Mapping[str, Any], name: str
    ) -> str:
        """Start an operation named `name`; never a second one for the same name.

        A lost reply (timeout, dropped connection, 5xx) is not retried blindly: Shopify may have
        started the operation, so we look for it first. "Limit reached" waits and tries again:
        another channel or process holds the shop's operations for now.
        """
        field = "bulkOperationRunQuery" if kind == "QUERY" else "bulkOperationRunMutation"
        deadline = self._clock() + self._config.bulk_timeout
        delay = self._config.bulk_poll_interval
        lost = 0
        while True:
            try:
                data = await self._transport.execute(
                    document, variables, estimated_cost=MUTATION_COST, idempotent=False
                )
            except ShopifyUnavailable:
                found = await self.find(kind, name)
                if found is not None:
                    self.adopted += 1
                    return str(found["id"])
                lost += 1
                if lost > self._config.max_retries:
                    raise
                await self._sleep(delay)
                continue
            payload = data.get(field) or {}
            errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
            operation = payload.get("bulkOperation") or {}
            if operation.get("id") and not errors:
                return str(operation["id"])
            detail = "; ".join(str(e) for e in errors) or "no operation returned"
            if not errors or any(e.code not in _LATER for e in errors):
                raise ShopifyBulkOperationError(f"Shopify refused to start a bulk {kind}: {detail}")
            found = await self.find(kind, name)  # our own, from a request whose reply was lost
            if found is not None:
                self.adopted += 1
                return str(found["id"])
            if self._clock() + delay > deadline:
                raise ShopifyBulkOperationError(
                    f"Shopify refused to start a bulk {kind} for "
                    f"{self._config.bulk_timeout:.0f}s: {detail}"
                )
            await self._sleep(delay)
            delay = min(_LATER_MAX_WAIT, delay * 2)

    async def recent(self, kind: Kind) -> list[dict[str, Any]]:
        """The app's most recent operations of `kind` on this shop, newest first."""
        if has_feature(self._config.api_version, "bulkOperationsQuery"):
            try:
                data = await self._transport.execute(
                    documents.BULK_OPERATIONS_QUERY_2026_01_ONLY,
                    {"query": f"operation_type:{kind.lower()}"},
                    estimated_cost=10,
                )
                return [dict(n) for n in (data.get("bulkOperations") or {}).get("nodes") or []]
            except ShopifyGraphQLError:
                pass  # a server without the 2026-01 query: the current operation still tells
        data = await self._transport.execute(
            documents.CURRENT_BULK_OPERATION_QUERY, {"type": kind}, estimated_cost=2
        )
        current = data.get("currentBulkOperation")
        return [dict(current)] if current else []

    async def find(self, kind: Kind, name: str) -> dict[str, Any] | None:
        return next((op for op in await self.recent(kind) if _names(op, name)), None)

    async def orphans(self, owner: str, run: str) -> list[dict[str, Any]]:
        """Running operations of channel `owner` started by another run (one that crashed)."""
        mine = f"{_PREFIX}{_clean(owner)}__"
        current = f"{mine}{_clean(run)}__"
        found = []
        kinds: tuple[Kind, ...] = ("QUERY", "MUTATION")
        for kind in kinds:
            for op in await self.recent(kind):
                text = str(op.get("query") or "")
                if op.get("status") in ACTIVE and mine in text and current not in text:
                    found.append(op)
        return found

    async def cancel(self, operation_id: str) -> None:
        await self._transport.execute(
            documents.BULK_OPERATION_CANCEL_MUTATION,
            {"id": operation_id},
            estimated_cost=MUTATION_COST,
        )

    async def wait(
        self, operation_id: str, on_count: Callable[[dict[str, Any]], None] | None = None
    ) -> dict[str, Any]:
        """Poll until the operation ends; return it in whatever state it ended."""
        interval = self._config.bulk_poll_interval
        deadline = self._clock() + self._config.bulk_timeout
        while True:
            data = await self._transport.execute(
                documents.BULK_OPERATION_QUERY, {"id": operation_id}, estimated_cost=2
            )
            operation = dict(data.get("node") or {})
            status = operation.get("status")
            if not operation:
                raise ShopifyBulkOperationError(f"Shopify bulk operation {operation_id} is missing")
            if on_count is not None:
                on_count(operation)
            if status not in ACTIVE:
                return operation
            if self._clock() + interval > deadline:
                raise ShopifyBulkOperationError(
                    f"Shopify bulk operation {operation_id} still {status} after "
                    f"{self._config.bulk_timeout:.0f}s"
                )
            await self._sleep(interval)
            interval = min(self._config.bulk_poll_max_interval, interval * 2)
