"""Bulk operations: bulkOperationRunQuery / RunMutation / Cancel and staged uploads.

Work runs as a background asyncio task (optionally delayed) and writes a JSONL file the emulator
serves at the operation's `url`. One running operation of each type per shop, as on Shopify
before 2026-01.
"""

import asyncio
import json
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from graphql import FieldNode, GraphQLSchema, OperationDefinitionNode, get_named_type

from emulator.context import ExecContext
from emulator.executor import Executor, Prepared, root_fields
from emulator.ids import gid, gid_number
from emulator.metafields import user_error
from emulator.models import BulkOperation
from emulator.store import Store

# Products per slice of a bulk export, and lines per slice of a bulk import, between which the
# server goes back to answering requests.
BULK_WINDOW = 500
Work = Callable[[BulkOperation, Callable[[str], object]], Awaitable[int]]

MAX_CONNECTIONS = 5
MAX_DEPTH = 2
# The staged JSONL limit was 20 MB (S3 policy MaxSizeAllowed 20971520) until the changelog "Faster
# bulk operations" (2025-12-15) raised it to 100 MB; the stricter limit is emulated.
STAGED_LIMIT = 20 * 1024 * 1024
ACTIVE = ("CREATED", "RUNNING", "CANCELING")
BULK_MUTATIONS = frozenset(
    {
        "productSet",
        "productCreate",
        "productUpdate",
        "productDelete",
        "productVariantsBulkCreate",
        "productVariantsBulkUpdate",
        "productVariantsBulkDelete",
        "metafieldDefinitionCreate",
    }
)


def _connection_problems(schema: GraphQLSchema, operation: OperationDefinitionNode) -> str | None:
    """Shopify's static rules for bulk queries: at least one connection, at most 5, nested at most
    2 deep, no top-level `node`/`nodes` (https://shopify.dev/docs/api/usage/bulk-operations/queries)."""
    root = schema.query_type
    assert root is not None
    count = 0

    def walk(parent: Any, selections: Any, depth: int) -> str | None:
        nonlocal count
        for selection in selections:
            if not isinstance(selection, FieldNode) or selection.name.value == "__typename":
                continue
            field_def = parent.fields.get(selection.name.value)
            if field_def is None or selection.selection_set is None:
                continue
            named = get_named_type(field_def.type)
            is_connection = named.name.endswith("Connection")
            next_depth = depth + 1 if is_connection else depth
            if is_connection:
                count += 1
                if next_depth > MAX_DEPTH:
                    return (
                        f"Bulk queries cannot contain connections with a nesting depth "
                        f"greater than {MAX_DEPTH}."
                    )
                if depth >= 1 and not _selects_id(selections):
                    return (
                        "The parent 'node' field for a nested connection must select the "
                        "'id' field."
                    )
            if hasattr(named, "fields"):
                problem = walk(named, selection.selection_set.selections, next_depth)
                if problem:
                    return problem
        return None

    for selection in operation.selection_set.selections:
        if isinstance(selection, FieldNode) and selection.name.value in ("node", "nodes"):
            return "Bulk queries cannot contain a top level `node` or `nodes` field."
    problem = walk(root, operation.selection_set.selections, 0)
    if problem:
        return problem
    if count == 0:
        return "Bulk queries must contain at least one connection."
    if count > MAX_CONNECTIONS:
        return f"Bulk queries cannot contain more than {MAX_CONNECTIONS} connections."
    return None


def _selects_id(selections: Any) -> bool:
    """A nested connection's parent must select `id`, which its rows reference as `__parentId`."""
    return any(
        isinstance(s, FieldNode) and s.name.value == "id" and s.alias is None for s in selections
    )


def _children(node: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    found = []
    for key, value in list(node.items()):
        if isinstance(value, dict) and isinstance(value.get("nodes", value.get("edges")), list):
            items = value["nodes"] if "nodes" in value else [e["node"] for e in value["edges"]]
            found.append((key, items))
            del node[key]
    return found


def flatten(connection: dict[str, Any]) -> tuple[list[str], int]:
    """JSONL rows for a root connection: nested connection items become rows with `__parentId`."""
    rows: list[str] = []
    roots = (
        connection["nodes"]
        if "nodes" in connection
        else [e["node"] for e in connection.get("edges", [])]
    )

    def emit(node: dict[str, Any], parent_id: str | None) -> None:
        children = _children(node)
        if parent_id is not None:
            node["__parentId"] = parent_id
        rows.append(json.dumps(node, separators=(",", ":")))
        for _, items in children:
            for child in items:
                emit(child, node.get("id"))

    for root in roots:
        emit(root, None)
    return rows, len(roots)


class BulkRunner:
    """Implements `emulator.context.BulkService` for one shop."""

    def __init__(
        self, store: Store, executor: Executor, base_url: Callable[[], str], delay: float = 0.0
    ) -> None:
        self.store = store
        self.executor = executor
        self.window = BULK_WINDOW
        self._files = tempfile.TemporaryDirectory(prefix="emulator-bulk-")
        self.files = Path(self._files.name)
        self.base_url = base_url
        self.delay = delay
        self.tasks: set[asyncio.Task[None]] = set()

    def _in_progress(self, kind: str) -> BulkOperation | None:
        return next(
            (
                op
                for op in self.store.bulk_operations.values()
                if op.type == kind and op.status in ACTIVE
            ),
            None,
        )

    def _start(self, kind: str, query: str, work: Work) -> BulkOperation:
        operation = BulkOperation(self.store.next_id(), kind, query, self.store.now())
        self.store.bulk_operations[operation.id] = operation
        task = asyncio.get_running_loop().create_task(self._run(operation, work))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return operation

    async def _run(self, operation: BulkOperation, work: Work) -> None:
        await asyncio.sleep(self.delay)
        if operation.cancel_requested:
            operation.status, operation.completed_at = "CANCELED", self.store.now()
            return
        operation.status = "RUNNING"
        await asyncio.sleep(self.delay)
        token = secrets.token_urlsafe(16)
        # Results go to a file as they are produced, like Shopify's: a large export must not
        # sit in memory (the emulator often shares a process with what it measures).
        path = self.files / f"{token}.jsonl"
        try:
            with path.open("w") as sink:
                rows = await work(operation, lambda line: sink.write(line + "\n"))
        except Exception:
            path.unlink(missing_ok=True)
            operation.status, operation.error_code = "FAILED", "INTERNAL_SERVER_ERROR"
            operation.completed_at = self.store.now()
            return
        if operation.cancel_requested or not rows:
            path.unlink(missing_ok=True)
        if operation.cancel_requested:
            operation.status, operation.completed_at = "CANCELED", self.store.now()
            return
        if rows:
            self.store.files.results[token] = path
            operation.file_size = path.stat().st_size
            operation.url = f"{self.base_url()}/bulk-results/{token}.jsonl"
        if operation.type == "QUERY":
            operation.object_count = rows
        operation.status, operation.completed_at = "COMPLETED", self.store.now()

    # --- queries ------------------------------------------------------------------------------

    def run_query(self, query: str) -> dict[str, Any]:
        prepared = self.executor.prepare(query)
        problem = prepared.errors[0]["message"] if prepared.errors else None
        operation = prepared.operation(None) if not problem else None
        if not problem and (operation is None or operation.operation.value != "query"):
            problem = "Bulk queries must contain exactly one query operation."
        if not problem and operation is not None:
            problem = _connection_problems(self.executor.schema, operation)
        if problem:
            return {
                "bulkOperation": None,
                "userErrors": [user_error(["query"], problem, "INVALID")],
            }
        running = self._in_progress("QUERY")
        if running is not None:
            message = (
                f"A bulk query operation for this app and shop is already in progress: "
                f"{gid('BulkOperation', running.id)}."
            )
            return {
                "bulkOperation": None,
                "userErrors": [user_error([], message, "OPERATION_IN_PROGRESS")],
            }
        return {
            "bulkOperation": self._start(
                "QUERY", query, lambda op, write: self._query_rows(op, prepared, write)
            ),
            "userErrors": [],
        }

    async def _query_rows(
        self, operation: BulkOperation, prepared: Prepared, write: Callable[[str], object]
    ) -> int:
        count = 0
        query = prepared.operation(None)
        windowed = query is not None and set(root_fields(query)) == {"products"}
        total = len(self.store.products)
        starts = range(0, max(total, 1), self.window) if windowed else range(1)
        for start in starts:
            window = (start, start + self.window) if windowed else None
            context = ExecContext(self.store, None, in_bulk=True, bulk_window=window)
            result = self.executor.execute(prepared, None, context)
            if result.errors or result.data is None:
                raise RuntimeError("bulk query failed")
            for value in result.data.values():
                if isinstance(value, dict):
                    found, roots = flatten(value)
                    for line in found:
                        write(line)
                    count += len(found)
                    operation.root_object_count += roots
            await asyncio.sleep(0)
        return count

    # --- mutations ----------------------------------------------------------------------------

    def run_mutation(
        self, mutation: str, staged_path: str, client_identifier: str | None
    ) -> dict[str, Any]:
        def fail(message: str, code: str, field: list[str]) -> dict[str, Any]:
            return {"bulkOperation": None, "userErrors": [user_error(field, message, code)]}

        prepared = self.executor.prepare(mutation)
        if prepared.errors:
            return fail(prepared.errors[0]["message"], "INVALID_MUTATION", ["mutation"])
        operation = prepared.operation(None)
        roots = root_fields(operation) if operation else []
        if operation is None or operation.operation.value != "mutation" or len(roots) != 1:
            return fail(
                "Bulk mutations must contain exactly one mutation field.",
                "INVALID_MUTATION",
                ["mutation"],
            )
        if roots[0] not in BULK_MUTATIONS:
            return fail(
                f"You must use an allowed mutation name. {roots[0]} is not allowed.",
                "INVALID_MUTATION",
                ["mutation"],
            )
        content = self.store.files.staged.get(staged_path)
        if content is None:
            message = (
                "The JSONL file could not be found. Try uploading the file again, and "
                "check that you've entered the URL correctly for the stagedUploadPath "
                "mutation argument."
            )
            return fail(message, "NO_SUCH_FILE", ["stagedUploadPath"])
        try:
            lines = [json.loads(line) for line in content.decode().splitlines() if line.strip()]
            if not all(isinstance(v, dict) for v in lines):
                raise ValueError("not objects")
        except ValueError:
            return fail(
                "The staged upload file is not a valid JSONL file.",
                "INVALID_STAGED_UPLOAD_FILE",
                ["stagedUploadPath"],
            )
        if self._in_progress("MUTATION") is not None:
            running = self._in_progress("MUTATION")
            assert running is not None
            message = (
                f"A bulk mutation operation for this app and shop is already in "
                f"progress: {gid('BulkOperation', running.id)}."
            )
            return fail(message, "OPERATION_IN_PROGRESS", [])
        started = self._start(
            "MUTATION", mutation, lambda op, write: self._mutation_rows(op, prepared, lines, write)
        )
        return {"bulkOperation": started, "userErrors": []}

    async def _mutation_rows(
        self,
        operation: BulkOperation,
        prepared: Prepared,
        lines: list[dict[str, Any]],
        write: Callable[[str], object],
    ) -> int:
        count = 0
        for number, variables in enumerate(lines):
            if operation.cancel_requested:
                break
            result = self.executor.execute(prepared, variables, ExecContext(self.store, None))
            row: dict[str, Any] = {"data": result.data}
            if result.errors:
                row["errors"] = [{"message": e.message} for e in result.errors]
            row["__lineNumber"] = number
            write(json.dumps(row, separators=(",", ":")))
            count += 1
            operation.object_count += 1
            operation.root_object_count += 1
            if number % self.window == self.window - 1:
                await asyncio.sleep(0)  # let the server answer polls meanwhile
        return count

    # --- cancel and staged uploads ------------------------------------------------------------

    def close(self) -> None:
        """Removes the result files (the emulator is stopping)."""
        self._files.cleanup()

    def cancel(self, operation_id: str) -> dict[str, Any]:
        number = gid_number(operation_id, "BulkOperation")
        operation = self.store.bulk_operations.get(number) if number is not None else None
        if operation is None:
            return {
                "bulkOperation": None,
                "userErrors": [user_error(["id"], "Bulk operation does not exist")],
            }
        if operation.status not in ACTIVE:
            message = f"A bulk operation cannot be canceled when it is {operation.status.lower()}"
            return {"bulkOperation": operation, "userErrors": [user_error([], message)]}
        operation.cancel_requested, operation.status = True, "CANCELING"
        return {"bulkOperation": operation, "userErrors": []}

    def staged_uploads(self, inputs: list[dict[str, Any]]) -> dict[str, Any]:
        targets = []
        for item in inputs:
            key = f"tmp/{self.store.shop.shop_id}/bulk/{secrets.token_hex(16)}/{item['filename']}"
            url = f"{self.base_url()}/staged-uploads"
            parameters = [
                {"name": "Content-Type", "value": item["mimeType"]},
                {"name": "success_action_status", "value": "201"},
                {"name": "acl", "value": "private"},
                {"name": "key", "value": key},
                {"name": "x-goog-date", "value": "20261126T000000Z"},
                {
                    "name": "x-goog-credential",
                    "value": "emulator/20261126/auto/storage/goog4_request",
                },
                {"name": "x-goog-algorithm", "value": "GOOG4-RSA-SHA256"},
                {"name": "x-goog-signature", "value": secrets.token_hex(32)},
                {"name": "policy", "value": secrets.token_urlsafe(24)},
            ]
            targets.append({"url": url, "resourceUrl": f"{url}/{key}", "parameters": parameters})
        return {"stagedTargets": targets, "userErrors": []}
