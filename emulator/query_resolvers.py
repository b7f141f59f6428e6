"""QueryRoot: the emulator's read entry points (products, product, node, bulk operations...)."""

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import GraphQLResolveInfo

from emulator import bulk_list, definitions
from emulator.connections import PAGE_MAX, Resolver, connection, ctx, positional
from emulator.context import ExecContext
from emulator.ids import gid_number, parse_gid
from emulator.metafields import resolve_namespace
from emulator.models import BulkOperation, Product
from emulator.pagination import SortKey, check_page_size, paginate
from emulator.search import compile_query, updated_bounds

# Full pagination keys (sort value, id); attrgetter builds the tuple without a Python call.
SORT_KEYS: dict[str, Callable[[Product], SortKey]] = {
    "ID": attrgetter("id", "id"),
    "UPDATED_AT": attrgetter("updated_at", "id"),
    "CREATED_AT": attrgetter("created_at", "id"),
    "TITLE": lambda p: (p.title.lower(), p.id),
    "VENDOR": lambda p: (p.vendor.lower(), p.id),
    "PRODUCT_TYPE": lambda p: (p.product_type.lower(), p.id),
}


def resolve_products(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    store = ctx(info).store
    first, last = args.get("first"), args.get("last")
    if not ctx(info).in_bulk:
        check_page_size(first, last, PAGE_MAX)
    query = args.get("query")
    window = ctx(info).bulk_window
    bounds = updated_bounds(query)
    if window is not None:
        products = list(store.products.values())[window[0] : window[1]]
    elif bounds is not None:
        # Only the products in the updated_at range, as Shopify's search index reads them.
        products = [store.products[n] for n in store.by_updated.between(*bounds)]
    else:
        products = list(store.products.values())
    if query and query.strip():
        matches = compile_query(query)
        products = [p for p in products if matches(p)]
    page = paginate(
        products,
        SORT_KEYS.get(args.get("sortKey") or "ID", SORT_KEYS["ID"]),
        first=first,
        last=last,
        after=args.get("after"),
        before=args.get("before"),
        reverse=bool(args.get("reverse")),
    )
    return connection(info, page)


def _lookup(context: ExecContext, value: str) -> Any:
    parsed = parse_gid(value)
    if parsed is None:
        return None
    type_name, number = parsed
    store = context.store
    if type_name == "Product":
        return store.products.get(number)
    if type_name == "ProductVariant":
        owner = store.variant_owner(number)
        return next((v for v in owner.variants if v.id == number), None) if owner else None
    if type_name == "BulkOperation":
        return store.bulk_operations.get(number)
    if type_name == "MediaImage":
        return store.library.get(number)
    if type_name == "Location":
        return store.location(number)
    # WebhookSubscription implements Node in the Admin schema, so nodes(ids:) answers it (null
    # once Shopify removed it).
    if type_name == "WebhookSubscription" and context.webhooks is not None:
        return context.webhooks.subscriptions.get(number)
    return None


def resolve_product_by_identifier(
    _: Any, info: GraphQLResolveInfo, identifier: dict[str, Any]
) -> Product | None:
    store = ctx(info).store
    if identifier.get("id") is not None:
        number = gid_number(identifier["id"], "Product")
        return store.products.get(number) if number is not None else None
    if identifier.get("handle") is not None:
        return store.product_by_handle(identifier["handle"])
    custom = identifier["customId"]
    return store.product_by_metafield(
        resolve_namespace(store, custom.get("namespace")), custom["key"], custom["value"]
    )


def resolve_current_bulk_operation(
    _: Any, info: GraphQLResolveInfo, type: str = "QUERY"
) -> BulkOperation | None:
    operations = [op for op in ctx(info).store.bulk_operations.values() if op.type == type]
    return max(operations, key=lambda op: op.id) if operations else None


def resolve_webhook_subscriptions(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
    webhooks = ctx(info).webhooks
    listed = webhooks.listed(args.pop("topics", None)) if webhooks is not None else []
    return positional(info, listed, args)


QUERY_ROOT: dict[str, Resolver] = {
    "webhookSubscriptions": resolve_webhook_subscriptions,
    "shop": lambda _, info: ctx(info).store.shop,
    "products": resolve_products,
    "product": lambda _, info, id: (
        _lookup(ctx(info), id) if id.startswith("gid://shopify/Product/") else None
    ),
    "productByIdentifier": resolve_product_by_identifier,
    "node": lambda _, info, id: _lookup(ctx(info), id),
    "nodes": lambda _, info, ids: [_lookup(ctx(info), i) for i in ids],
    "currentBulkOperation": resolve_current_bulk_operation,
    "bulkOperation": bulk_list.resolve_bulk_operation,  # 2026-01 and later
    "bulkOperations": bulk_list.resolve_bulk_operations,  # 2026-01 and later
    "location": lambda _, info, id=None: (
        _lookup(ctx(info), id) if id else ctx(info).store.locations[0]
    ),
    "locations": lambda _, info, **args: positional(info, ctx(info).store.locations, args),
    # The shop's file library: every file ever created, attached to a product or not.
    "files": lambda _, info, **args: positional(info, list(ctx(info).store.library.values()), args),
    "metafieldDefinitions": lambda _, info, ownerType, namespace=None, key=None, **args: positional(
        info,
        definitions.metafield_definitions(ctx(info).store, ownerType, namespace, key),
        args,
    ),
}
