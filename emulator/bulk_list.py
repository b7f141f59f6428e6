"""The 2026-01 bulk operation queries: `bulkOperation(id:)` and `bulkOperations(...)`.

https://shopify.dev/docs/api/admin-graphql/2026-07/queries/bulkOperations: "Returns the app's bulk
operations meeting the specified filters. Defaults to sorting by created_at, with newest
operations first." Search fields: `created_at` ("operations created after a specific date"),
`id` (ranges), `operation_type` (query, mutation) and `status` (canceled, canceling, completed,
created, failed, running). No filter by `clientIdentifier` is documented, so there is none here.
"""

import re
from collections.abc import Callable
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from emulator.bulk_rules import LINK_LIFETIME
from emulator.clock import parse_iso
from emulator.connections import PAGE_MAX, connection
from emulator.context import ExecContext
from emulator.ids import gid_number
from emulator.models import BulkOperation
from emulator.pagination import SortKey, check_page_size, paginate

_TERM = re.compile(r"""(-?)(\w+):(>=|<=|>|<)?('[^']*'|"[^"]*"|\S+)""")
_NEVER = 2**62  # sorts operations that have not completed as the newest
Predicate = Callable[[BulkOperation], bool]

SORT_KEYS: dict[str, Callable[[BulkOperation], SortKey]] = {
    # Newest first without `reverse`, as the docs say; the negated id keeps keys unique.
    "CREATED_AT": lambda op: (-op.created_at, -op.id),
    "COMPLETED_AT": lambda op: (-(op.completed_at or _NEVER), -op.id),
}


def visible_status(operation: BulkOperation, now: int) -> str:
    """A completed operation whose result link has expired reads EXPIRED."""
    completed = operation.completed_at
    expired = completed is not None and now >= completed + LINK_LIFETIME
    return "EXPIRED" if operation.status == "COMPLETED" and expired else operation.status


def _compare(left: int, op: str, right: int) -> bool:
    return {
        ">": left > right,
        ">=": left >= right,
        "<": left < right,
        "<=": left <= right,
    }.get(op, left == right)


def _term(name: str, op: str, value: str, now: int) -> Predicate:
    value = value.strip("'\"")
    if name == "status":
        return lambda b: visible_status(b, now).lower() == value.lower()
    if name == "operation_type":
        return lambda b: b.type.lower() == value.lower()
    if name == "id":
        number = int(value.rsplit("/", 1)[-1])
        return lambda b: _compare(b.id, op, number)
    if name == "created_at":
        moment = parse_iso(value)
        # A bare `created_at:DATE` means "created after" per the docs.
        return lambda b: _compare(b.created_at, op or ">", moment)
    raise GraphQLError(f"Invalid search field for this query: {name}")


def compile_filter(query: str | None, now: int) -> Predicate:
    """All terms must hold (implicit AND); `-field:value` negates one."""
    predicates: list[Predicate] = []
    for negated, name, op, value in _TERM.findall(query or ""):
        predicate = _term(name.lower(), op, value, now)
        predicates.append((lambda p: lambda b: not p(b))(predicate) if negated else predicate)
    return lambda b: all(p(b) for p in predicates)


def resolve_bulk_operation(_: Any, info: GraphQLResolveInfo, id: str) -> BulkOperation | None:
    context: ExecContext = info.context
    number = gid_number(id, "BulkOperation")
    return context.store.bulk_operations.get(number) if number is not None else None


def resolve_bulk_operations(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    context: ExecContext = info.context
    first, last = args.get("first"), args.get("last")
    check_page_size(first, last, PAGE_MAX)
    matches = compile_filter(args.get("query"), context.store.now())
    operations = [op for op in context.store.bulk_operations.values() if matches(op)]
    page = paginate(
        operations,
        SORT_KEYS[args.get("sortKey") or "CREATED_AT"],
        first=first,
        last=last,
        after=args.get("after"),
        before=args.get("before"),
        reverse=bool(args.get("reverse")),
    )
    return connection(info, page)
