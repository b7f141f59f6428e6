"""Bulk operations: bulkOperationRunQuery / RunMutation / Cancel (staged uploads: `staging`).

Work runs as a background asyncio task (optionally delayed) and writes a JSONL file the emulator
serves at the operation's `url`. How many operations may run at once, whether query output is
grouped and how large an upload may be depend on the API version (see `emulator.bulk_rules`).
`objectCount` grows while an operation runs; a FAILED or CANCELED one keeps the lines written so
far at `partialDataUrl`; result links expire 7 days after completion (BulkOperation docs: "url
and partialDataUrl values expire after seven days").
"""

import asyncio
import contextlib
import json
import random
import secrets
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from emulator.bulk_mutation_input import Refused, accept_mutation
from emulator.bulk_output import ShuffledSink, flatten
from emulator.bulk_rules import (
    ACTIVE,
    LINK_LIFETIME,
    OperationTimeout,
    check_deadline,
    connection_problems,
    refusal,
)
from emulator.context import ExecContext
from emulator.executor import Executor, Prepared, root_fields
from emulator.ids import gid_number
from emulator.metafields import user_error
from emulator.models import BulkOperation
from emulator.staging import Staging
from emulator.store import Store
from emulator.versions import Served

# Products per slice of a bulk export, and lines per slice of a bulk import, between which the
# server goes back to answering requests.
BULK_WINDOW = 500
Write = Callable[[str, str | None], None]  # (JSON line, its __parentId)
Work = Callable[[BulkOperation, Write], Awaitable[int]]


class InjectedFailure(Exception):
    """A test asked the next operation to fail part-way (`BulkRunner.fail_next`)."""


class BulkRunner:
    """Implements `emulator.context.BulkService` for one shop (one app: one token)."""

    def __init__(
        self,
        store: Store,
        executor_for: Callable[[Served], Executor],
        base_url: Callable[[], str],
        delay: float = 0.0,
        seed: int = 1,
        upload_limit: int | None = None,
    ) -> None:
        self.store = store
        self.executor_for = executor_for
        self.window = BULK_WINDOW
        self._files = tempfile.TemporaryDirectory(prefix="emulator-bulk-")
        self.files = Path(self._files.name)
        self.base_url = base_url
        self.delay = delay
        self.line_delay = 0.0  # seconds per mutation line / query window, to watch progress
        self.staging = Staging(store, base_url, upload_limit)
        self.rng = random.Random(seed)  # shuffles ungrouped output reproducibly
        self.tasks: set[asyncio.Task[None]] = set()
        self._fail_after: int | None = None
        # emulator.webhooks.Webhooks: a bulk mutation's writes fire webhooks like any other
        self.webhooks: Any = None
        self._cancelled: dict[int, asyncio.Event] = {}  # set by cancel(): ends a delay early

    def fail_next(self, after_lines: int) -> None:
        """The next operation to run fails (INTERNAL_SERVER_ERROR) after writing this many
        result lines, which its `partialDataUrl` then serves."""
        self._fail_after = after_lines

    def _refusal(self, kind: str, version: Served) -> tuple[str, str] | None:
        return refusal(self.store.bulk_operations.values(), kind, version)

    def _start(self, operation: BulkOperation, work: Work) -> BulkOperation:
        self.store.bulk_operations[operation.id] = operation
        task = asyncio.get_running_loop().create_task(self._run(operation, work))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        return operation

    async def _run(self, operation: BulkOperation, work: Work) -> None:
        await self._delay(operation)
        if operation.cancel_requested:
            operation.status, operation.completed_at = "CANCELED", self.store.now()
            return
        operation.status = "RUNNING"
        await self._delay(operation)
        token = secrets.token_urlsafe(16)
        # Results go to a file as they are produced, like Shopify's: a large export must not
        # sit in memory (the emulator often shares a process with what it measures).
        path = self.files / f"{token}.jsonl"
        fail_after, self._fail_after = self._fail_after, None
        with path.open("w") as sink:
            shuffled = ShuffledSink(self.files, self.rng) if operation.shuffled else None
            written = 0

            def write(line: str, parent_id: str | None) -> None:
                nonlocal written
                if shuffled is not None:
                    shuffled.write(line, parent_id)
                else:
                    sink.write(line + "\n")
                written += 1
                if fail_after is not None and written >= fail_after:
                    raise InjectedFailure

            error_code: str | None = None
            try:
                await work(operation, write)
            except OperationTimeout:
                error_code = "TIMEOUT"
            except Exception:
                error_code = "INTERNAL_SERVER_ERROR"
            if shuffled is not None:
                shuffled.finish(sink)
        self._finish(operation, path, token, written, error_code)

    async def _delay(self, operation: BulkOperation) -> None:
        """Waits `delay` (before it starts, and before it works), less when it is cancelled:
        bulkOperationCancel's schema description allows "a short delay from when a cancelation
        starts until the operation is actually canceled", not the rest of the wait."""
        cancelled = self._cancelled.setdefault(operation.id, asyncio.Event())
        with contextlib.suppress(TimeoutError):
            if not operation.cancel_requested:
                await asyncio.wait_for(cancelled.wait(), self.delay)
        self._cancelled.pop(operation.id, None)

    def _finish(
        self,
        operation: BulkOperation,
        path: Path,
        token: str,
        written: int,
        error_code: str | None,
    ) -> None:
        operation.completed_at = self.store.now()
        if error_code is not None:
            operation.status, operation.error_code = "FAILED", error_code
        else:
            operation.status = "CANCELED" if operation.cancel_requested else "COMPLETED"
        if not written:
            path.unlink(missing_ok=True)
            return
        self.store.files.results[token] = path
        self.store.files.expires[token] = operation.completed_at + LINK_LIFETIME
        link = f"{self.base_url()}/bulk-results/{token}.jsonl"
        if operation.status == "COMPLETED":
            operation.file_size = path.stat().st_size
            operation.url = link
        else:  # the lines done so far
            operation.partial_data_url = link

    async def _pause(self) -> None:
        await asyncio.sleep(self.line_delay)

    # --- queries ------------------------------------------------------------------------------

    def run_query(self, query: str, group_objects: bool, version: Served) -> dict[str, Any]:
        executor = self.executor_for(version)
        prepared = executor.prepare(query)
        problem = prepared.errors[0]["message"] if prepared.errors else None
        operation = prepared.operation(None) if not problem else None
        if not problem and (operation is None or operation.operation.value != "query"):
            problem = "Bulk queries must contain exactly one query operation."
        if not problem and operation is not None:
            problem = connection_problems(executor.schema, operation)
        if problem:
            return {
                "bulkOperation": None,
                "userErrors": [user_error(["query"], problem, "INVALID")],
            }
        refusal = self._refusal("QUERY", version)
        if refusal is not None:
            return {"bulkOperation": None, "userErrors": [user_error([], *refusal)]}
        started = BulkOperation(self.store.next_id(), "QUERY", query, self.store.now())
        started.shuffled = not group_objects
        started.version = version
        return {
            "bulkOperation": self._start(
                started, lambda op, write: self._query_rows(op, prepared, write)
            ),
            "userErrors": [],
        }

    async def _query_rows(self, operation: BulkOperation, prepared: Prepared, write: Write) -> int:
        query = prepared.operation(None)
        windowed = query is not None and set(root_fields(query)) == {"products"}
        total = len(self.store.products)
        starts = range(0, max(total, 1), self.window) if windowed else range(1)
        executor = self.executor_for(operation.version)
        for start in starts:
            if operation.cancel_requested:
                break
            check_deadline(operation, self.store.now())
            window = (start, start + self.window) if windowed else None
            context = ExecContext(
                self.store, None, in_bulk=True, bulk_window=window, version=operation.version
            )
            result = executor.execute(prepared, None, context)
            if result.errors or result.data is None:
                raise RuntimeError("bulk query failed")
            for value in result.data.values():
                if isinstance(value, dict):
                    found, roots = flatten(value)
                    for line, parent_id in found:
                        write(line, parent_id)
                        operation.object_count += 1  # a running count: clients show progress
                    operation.root_object_count += roots
            await self._pause()
        return operation.object_count

    # --- mutations ----------------------------------------------------------------------------

    def run_mutation(
        self, mutation: str, staged_path: str, client_identifier: str | None, version: Served
    ) -> dict[str, Any]:
        accepted = accept_mutation(
            self.executor_for(version),
            self.store.files.staged.get(staged_path),
            mutation,
            client_identifier,
            version,
        )
        if isinstance(accepted, Refused):
            error = user_error(accepted.field, accepted.message, accepted.code)
            return {"bulkOperation": None, "userErrors": [error]}
        refusal = self._refusal("MUTATION", version)
        if refusal is not None:
            return {"bulkOperation": None, "userErrors": [user_error([], *refusal)]}
        prepared, lines = accepted
        started = BulkOperation(self.store.next_id(), "MUTATION", mutation, self.store.now())
        started.client_identifier, started.version = client_identifier, version
        work = self._mutation_rows(prepared, lines)
        return {"bulkOperation": self._start(started, work), "userErrors": []}

    def _mutation_rows(self, prepared: Prepared, lines: list[dict[str, Any]]) -> Work:
        async def work(operation: BulkOperation, write: Write) -> int:
            executor = self.executor_for(operation.version)
            context = ExecContext(self.store, None, version=operation.version)
            for number, variables in enumerate(lines):
                if operation.cancel_requested:
                    break
                check_deadline(operation, self.store.now())
                before = self.webhooks.snapshot() if self.webhooks is not None else None
                result = executor.execute(prepared, variables, context)
                if self.webhooks is not None:
                    self.webhooks.emit_changes(before)
                row: dict[str, Any] = {"data": result.data}
                if result.errors:
                    row["errors"] = [{"message": e.message} for e in result.errors]
                row["__lineNumber"] = number
                operation.object_count += 1
                operation.root_object_count += 1
                write(json.dumps(row, separators=(",", ":")), None)
                if self.line_delay or number % self.window == self.window - 1:
                    await self._pause()  # let the server answer polls meanwhile
            return operation.object_count

        return work

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
        if (waiting := self._cancelled.get(operation.id)) is not None:
            waiting.set()
        return {"bulkOperation": operation, "userErrors": []}

    def staged_uploads(self, inputs: list[dict[str, Any]], version: Served) -> dict[str, Any]:
        return self.staging.create_targets(inputs, version)

    def staged_limit(self, key: str | None) -> int:
        return self.staging.limit(key)
