"""Shared by the emulator's resolvers: the execution context and Shopify's connection shape."""

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from emulator.context import ExecContext
from emulator.pagination import Page, check_page_size, paginate

Resolver = Callable[..., Any]
PAGE_MAX = 250
# Shopify changelog 2025-10-15, "The product variant limit is now 2048 for all merchants": a
# single-product variants query may page that far; other connections stop at 250 a page.
VARIANTS_PAGE_MAX = 2048


def ctx(info: GraphQLResolveInfo) -> ExecContext:
    """The request's ExecContext (store, API version, bulk state)."""
    context: ExecContext = info.context
    return context


def connection(info: GraphQLResolveInfo, page: Page[Any]) -> dict[str, Any]:
    return {
        "nodes": page.items,
        "edges": [{"cursor": c, "node": n} for c, n in zip(page.cursors, page.items, strict=True)],
        "pageInfo": {
            "hasNextPage": page.has_next,
            "hasPreviousPage": page.has_previous,
            "startCursor": page.cursors[0] if page.cursors else None,
            "endCursor": page.cursors[-1] if page.cursors else None,
        },
    }


def positional(
    info: GraphQLResolveInfo, items: list[Any], args: dict[str, Any], maximum: int = PAGE_MAX
) -> dict[str, Any]:
    first, last = args.get("first"), args.get("last")
    if not ctx(info).in_bulk:
        check_page_size(first, last, maximum)
    index = {id(item): n for n, item in enumerate(items)}
    page = paginate(
        items,
        lambda item: (index[id(item)], item.id),
        first=first,
        last=last,
        after=args.get("after"),
        before=args.get("before"),
        reverse=bool(args.get("reverse")),
    )
    return connection(info, page)
