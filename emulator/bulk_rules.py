"""Shopify's rules for starting bulk operations: query shape, allowed mutations, limits per version.

Sources: https://shopify.dev/docs/api/usage/bulk-operations/queries and
https://shopify.dev/docs/api/usage/bulk-operations/imports; changelog "Faster bulk operations"
(2025-12-15, effective 2026-01): up to five bulk operations per app and shop at once (before: one
query and one mutation), staged JSONL files up to 100 MB ("up from 20MB").
"""

from collections.abc import Iterable
from typing import Any

from graphql import FieldNode, GraphQLSchema, OperationDefinitionNode, get_named_type

from emulator.ids import gid
from emulator.models import BulkOperation
from emulator.versions import BULK_2026_01, Served

MAX_CONNECTIONS = 5
MAX_DEPTH = 2
ACTIVE = ("CREATED", "RUNNING", "CANCELING")
CONCURRENT_2026_01 = 5
# "url and partialDataUrl values expire after seven days" (BulkOperation docs); the operation then
# reads EXPIRED ("The bulk operation URL has expired.", BulkOperationStatus docs).
LINK_LIFETIME = 7 * 24 * 3600
DEADLINES = {"QUERY": 10 * 24 * 3600, "MUTATION": 24 * 3600}  # seconds an operation may run
UPLOAD_LIMIT_BEFORE_2026_01 = 20 * 1024 * 1024  # S3 policy MaxSizeAllowed 20971520
UPLOAD_LIMIT_2026_01 = 100 * 1024 * 1024


def upload_limit(version: Served) -> int:
    """Bytes a staged JSONL upload may have on this version."""
    return UPLOAD_LIMIT_2026_01 if version.at_least(BULK_2026_01) else UPLOAD_LIMIT_BEFORE_2026_01


def connection_problems(schema: GraphQLSchema, operation: OperationDefinitionNode) -> str | None:
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


class OperationTimeout(Exception):
    """The operation ran past Shopify's time limit for its type."""


def check_deadline(operation: BulkOperation, now: int) -> None:
    """Queries must finish within 10 days and mutations within 24 hours, else they FAIL with
    TIMEOUT ("Faster bulk operations" changelog, 2025-12-15), measured on the emulator clock."""
    if now - operation.created_at > DEADLINES[operation.type]:
        raise OperationTimeout


def refusal(
    operations: Iterable[BulkOperation], kind: str, version: Served
) -> tuple[str, str] | None:
    """(message, code) when the app may not start another operation of `kind` now."""
    active = [op for op in operations if op.status in ACTIVE]
    if version.at_least(BULK_2026_01):
        if len(active) >= CONCURRENT_2026_01:
            # BulkOperationUserErrorCode.LIMIT_REACHED: "Bulk operations limit reached.
            # Please try again later."
            return "Bulk operations limit reached. Please try again later.", "LIMIT_REACHED"
        return None
    running = next((op for op in active if op.type == kind), None)
    if running is None:
        return None
    message = (
        f"A bulk {kind.lower()} operation for this app and shop is already in progress: "
        f"{gid('BulkOperation', running.id)}."
    )
    return message, "OPERATION_IN_PROGRESS"
