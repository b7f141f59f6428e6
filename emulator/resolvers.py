"""Resolvers: bind the emulator SDL to the store's records."""

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from graphql import (
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLScalarType,
    GraphQLSchema,
)

from emulator import bulk_list, definitions, metafields_set, product_mutations
from emulator.clock import iso
from emulator.context import ExecContext
from emulator.ids import gid, gid_number, parse_gid
from emulator.media import READY, cdn_url, media_status
from emulator.metafields import resolve_namespace
from emulator.models import (
    BulkOperation,
    Location,
    MediaImage,
    Metafield,
    MetafieldDefinition,
    Product,
    Variant,
)
from emulator.pagination import Page, SortKey, check_page_size, paginate
from emulator.product_set import product_set
from emulator.schema import build_sdl_schema
from emulator.search import compile_query

Resolver = Callable[..., Any]
PAGE_MAX = 250
VARIANTS_PAGE_MAX = (
    2048  # Shopify changelog 2025-10-15: "The product variant limit is now 2048 for all merchants";
)
# a single-product variants query may page that far, other connections stop at 250.

# Full pagination keys (sort value, id); attrgetter builds the tuple without a Python call.
SORT_KEYS: dict[str, Callable[[Product], SortKey]] = {
    "ID": attrgetter("id", "id"),
    "UPDATED_AT": attrgetter("updated_at", "id"),
    "CREATED_AT": attrgetter("created_at", "id"),
    "TITLE": lambda p: (p.title.lower(), p.id),
    "VENDOR": lambda p: (p.vendor.lower(), p.id),
    "PRODUCT_TYPE": lambda p: (p.product_type.lower(), p.id),
}


def _ctx(info: GraphQLResolveInfo) -> ExecContext:
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
    if not _ctx(info).in_bulk:
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


# --- QueryRoot --------------------------------------------------------------------------------


def resolve_products(_: Any, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    store = _ctx(info).store
    first, last = args.get("first"), args.get("last")
    if not _ctx(info).in_bulk:
        check_page_size(first, last, PAGE_MAX)
    query = args.get("query")
    products = list(store.products.values())
    window = _ctx(info).bulk_window
    if window is not None:
        products = products[window[0] : window[1]]
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
    return None


def resolve_product_by_identifier(
    _: Any, info: GraphQLResolveInfo, identifier: dict[str, Any]
) -> Product | None:
    store = _ctx(info).store
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
    operations = [op for op in _ctx(info).store.bulk_operations.values() if op.type == type]
    return max(operations, key=lambda op: op.id) if operations else None


QUERY_ROOT: dict[str, Resolver] = {
    "shop": lambda _, info: _ctx(info).store.shop,
    "products": resolve_products,
    "product": lambda _, info, id: (
        _lookup(_ctx(info), id) if id.startswith("gid://shopify/Product/") else None
    ),
    "productByIdentifier": resolve_product_by_identifier,
    "node": lambda _, info, id: _lookup(_ctx(info), id),
    "nodes": lambda _, info, ids: [_lookup(_ctx(info), i) for i in ids],
    "currentBulkOperation": resolve_current_bulk_operation,
    "bulkOperation": bulk_list.resolve_bulk_operation,  # 2026-01 and later
    "bulkOperations": bulk_list.resolve_bulk_operations,  # 2026-01 and later
    "location": lambda _, info, id=None: (
        _lookup(_ctx(info), id) if id else _ctx(info).store.locations[0]
    ),
    "locations": lambda _, info, **args: positional(info, _ctx(info).store.locations, args),
    "metafieldDefinitions": lambda _, info, ownerType, namespace=None, key=None, **args: positional(
        info,
        definitions.metafield_definitions(_ctx(info).store, ownerType, namespace, key),
        args,
    ),
}

# --- objects ----------------------------------------------------------------------------------


def _metafields(owner: Product | Variant, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    items = owner.metafields
    if args.get("namespace"):
        namespace = resolve_namespace(_ctx(info).store, args["namespace"])
        items = [m for m in items if m.namespace == namespace]
    if args.get("keys"):
        wanted = set(args["keys"])
        items = [m for m in items if f"{m.namespace}.{m.key}" in wanted]
    return positional(info, items, args)


def _metafield(
    owner: Product | Variant, info: GraphQLResolveInfo, key: str, namespace: str | None = None
) -> Metafield | None:
    ns = resolve_namespace(_ctx(info).store, namespace)
    return next((m for m in owner.metafields if m.namespace == ns and m.key == key), None)


def _selected_options(variant: Variant, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    product = _ctx(info).store.products.get(variant.product_id)
    options = product.options if product else []
    selected = []
    for option, value in zip(options, variant.option_values, strict=False):
        option_value = next((v for v in option.values if v.name == value), None)
        selected.append({"name": option.name, "value": value, "optionValue": option_value})
    return selected


def _options(product: Product) -> list[dict[str, Any]]:
    return [
        {
            "id": gid("ProductOption", o.id),
            "name": o.name,
            "position": n,
            "values": [v.name for v in o.values],
            "optionValues": o.values,
        }
        for n, o in enumerate(product.options, 1)
    ]


def _position(variant: Variant, info: GraphQLResolveInfo) -> int:
    siblings = _ctx(info).store.products[variant.product_id].variants
    return 1 + next(i for i, v in enumerate(siblings) if v is variant)


PRODUCT: dict[str, Resolver] = {
    "id": lambda p, _: gid("Product", p.id),
    "legacyResourceId": lambda p, _: str(p.id),
    "descriptionHtml": attrgetter("description_html"),
    "productType": attrgetter("product_type"),
    "createdAt": attrgetter("created_at"),
    "updatedAt": attrgetter("updated_at"),
    "seo": lambda p, _: {"title": p.seo_title, "description": p.seo_description},
    "hasOnlyDefaultVariant": lambda p, _: (
        len(p.variants) == 1 and p.variants[0].option_values == ["Default Title"]
    ),
    "totalInventory": lambda p, _: sum(v.inventory_quantity for v in p.variants),
    "variantsCount": lambda p, _: {"count": len(p.variants), "precision": "EXACT"},
    "options": lambda p, _, first=None: _options(p)[:first],
    "variants": lambda p, info, **args: positional(info, p.variants, args, VARIANTS_PAGE_MAX),
    "media": lambda p, info, **args: positional(info, p.media, args),
    "metafields": _metafields,
    "metafield": _metafield,
}

VARIANT: dict[str, Resolver] = {
    "id": lambda v, _: gid("ProductVariant", v.id),
    "legacyResourceId": lambda v, _: str(v.id),
    "compareAtPrice": attrgetter("compare_at_price"),
    "createdAt": attrgetter("created_at"),
    "updatedAt": attrgetter("updated_at"),
    "title": lambda v, _: " / ".join(v.option_values),
    "displayName": lambda v, info: (
        f"{_ctx(info).store.products[v.product_id].title} - {' / '.join(v.option_values)}"
    ),
    "inventoryPolicy": attrgetter("inventory_policy"),
    "inventoryQuantity": attrgetter("inventory_quantity"),
    "position": _position,
    "product": lambda v, info: _ctx(info).store.products.get(v.product_id),
    "inventoryItem": lambda v, _: v,
    "selectedOptions": _selected_options,
    "metafields": _metafields,
    "metafield": _metafield,
}


@dataclass(eq=False)
class InventoryLevel:
    """A view: one variant's inventory item stocked at one location."""

    id: int  # the location's id: unique within one item's levels
    location: Location
    variant: Variant


def _levels(variant: Variant, info: GraphQLResolveInfo) -> list[InventoryLevel]:
    store = _ctx(info).store
    return [
        InventoryLevel(loc.id, loc, variant) for loc in store.locations if loc.id in variant.stock
    ]


def _level(variant: Variant, info: GraphQLResolveInfo, locationId: str) -> InventoryLevel | None:
    number = gid_number(locationId, "Location")
    return next((lv for lv in _levels(variant, info) if lv.id == number), None)


def _quantities(level: InventoryLevel, _: GraphQLResolveInfo, names: list[str]) -> list[Any]:
    # `available` and `on_hand` are the stock; the emulator has no orders, so committed,
    # reserved, incoming and the other states are 0 (InventoryLevel.quantities in Shopify's docs).
    stock = level.variant.stock.get(level.location.id, 0)
    item = level.variant.inventory_item_id
    return [
        {
            "id": f"gid://shopify/InventoryQuantity/{level.location.id}"
            f"?inventory_item_id={item}&name={name}",
            "name": name,
            "quantity": stock if name in ("available", "on_hand") else 0,
        }
        for name in names
    ]


INVENTORY_ITEM: dict[str, Resolver] = {
    "id": lambda v, _: gid("InventoryItem", v.inventory_item_id),
    "legacyResourceId": lambda v, _: str(v.inventory_item_id),
    "variant": lambda v, _: v,
    "inventoryLevels": lambda v, info, **args: positional(info, _levels(v, info), args),
    "inventoryLevel": _level,
}

INVENTORY_LEVEL: dict[str, Resolver] = {
    "id": lambda lv, _: (
        f"gid://shopify/InventoryLevel/{lv.location.id}"
        f"?inventory_item_id={lv.variant.inventory_item_id}"
    ),
    "item": lambda lv, _: lv.variant,
    "location": lambda lv, _: lv.location,
    "quantities": _quantities,
}

LOCATION: dict[str, Resolver] = {
    "id": lambda loc, _: gid("Location", loc.id),
    "legacyResourceId": lambda loc, _: str(loc.id),
    "isActive": lambda loc, _: True,
}

OPTION_VALUE: dict[str, Resolver] = {
    "id": lambda v, _: gid("ProductOptionValue", v.id),
    "hasVariants": lambda v, _: True,
}

METAFIELD: dict[str, Resolver] = {
    "id": lambda m, _: gid("Metafield", m.id),
    "legacyResourceId": lambda m, _: str(m.id),
    "createdAt": attrgetter("created_at"),
    "updatedAt": attrgetter("updated_at"),
    "ownerType": attrgetter("owner_type"),
    "compareDigest": lambda m, _: metafields_set.compare_digest(m),
}


def _image(media: MediaImage, info: GraphQLResolveInfo) -> dict[str, Any] | None:
    # "Returns `null` until `status` is `READY`" (MediaImage.image, Shopify's docs).
    store = _ctx(info).store
    if media_status(store, media) != READY:
        return None
    return {
        "id": gid("ImageSource", media.image_id),
        # Shopify serves processed images from its CDN, not from the source they came from.
        "url": cdn_url(store, media),
        "altText": media.alt,
        "width": None,
        "height": None,
    }


MEDIA_IMAGE: dict[str, Resolver] = {
    "id": lambda m, _: gid("MediaImage", m.id),
    "mediaContentType": lambda m, _: "IMAGE",
    "status": lambda m, info: media_status(_ctx(info).store, m),
    "createdAt": attrgetter("created_at"),
    "updatedAt": attrgetter("updated_at"),
    "image": _image,
}

SHOP: dict[str, Resolver] = {
    "id": lambda s, _: gid("Shop", s.shop_id),
    "myshopifyDomain": attrgetter("domain"),
    "currencyCode": attrgetter("currency_code"),
    "ianaTimezone": attrgetter("iana_timezone"),
    "primaryDomain": lambda s, _: {
        "id": gid("Domain", s.shop_id),
        "host": s.domain,
        "url": f"https://{s.domain}",
    },
    "plan": lambda s, _: {
        "displayName": s.plan_display_name,
        "publicDisplayName": s.plan_display_name,
        "partnerDevelopment": s.partner_development,
        "shopifyPlus": s.shopify_plus,
    },
}

BULK_OPERATION: dict[str, Resolver] = {
    "id": lambda b, _: gid("BulkOperation", b.id),
    "createdAt": attrgetter("created_at"),
    "completedAt": attrgetter("completed_at"),
    "errorCode": attrgetter("error_code"),
    "objectCount": lambda b, _: str(b.object_count),
    "rootObjectCount": lambda b, _: str(b.root_object_count),
    "fileSize": lambda b, _: None if b.file_size is None else str(b.file_size),
    "partialDataUrl": attrgetter("partial_data_url"),
    "status": lambda b, info: bulk_list.visible_status(b, _ctx(info).store.now()),
}

DEFINITION: dict[str, Resolver] = {
    "id": lambda d, _: gid("MetafieldDefinition", d.id),
    "ownerType": attrgetter("owner_type"),
    "type": lambda d, _: {"name": d.type, "category": "TEXT"},
    "capabilities": lambda d, _: {"uniqueValues": {"enabled": d.unique_values, "eligible": True}},
}

# --- mutations --------------------------------------------------------------------------------


def resolve_product_set(
    _: Any,
    info: GraphQLResolveInfo,
    input: dict[str, Any],
    identifier: dict[str, Any] | None = None,
    synchronous: bool = True,
) -> dict[str, Any]:
    result = product_set(_ctx(info).store, identifier, input)
    if synchronous or result.product is None:
        return {
            "product": result.product,
            "productSetOperation": None,
            "userErrors": result.user_errors,
        }
    store = _ctx(info).store
    operation = {
        "id": gid("ProductSetOperation", store.next_id()),
        "status": "COMPLETE",
        "product": result.product,
        "userErrors": [],
    }
    return {"product": None, "productSetOperation": operation, "userErrors": []}


def _bulk(info: GraphQLResolveInfo) -> Any:
    service = _ctx(info).bulk
    if service is None:
        raise RuntimeError("bulk operations are not available here")
    return service


MUTATION: dict[str, Resolver] = {
    "productSet": resolve_product_set,
    "productCreate": lambda _, info, product=None, media=None: {
        **product_mutations.product_create(_ctx(info).store, product, media),
        "shop": _ctx(info).store.shop,
    },
    "productUpdate": lambda _, info, product=None, media=None: product_mutations.product_update(
        _ctx(info).store, product, media
    ),
    "productDelete": lambda _, info, input, synchronous=True: {
        **product_mutations.product_delete(_ctx(info).store, input),
        "shop": _ctx(info).store.shop,
    },
    "productVariantsBulkCreate": lambda _, info, productId, variants, strategy="DEFAULT", **_x: (
        product_mutations.variants_bulk_create(_ctx(info).store, productId, variants, strategy)
    ),
    "productVariantsBulkUpdate": lambda _, info, productId, variants, **_x: (
        product_mutations.variants_bulk_update(_ctx(info).store, productId, variants)
    ),
    "productVariantsBulkDelete": lambda _, info, productId, variantsIds: (
        product_mutations.variants_bulk_delete(_ctx(info).store, productId, variantsIds)
    ),
    "metafieldDefinitionCreate": lambda _, info, definition: (
        definitions.metafield_definition_create(_ctx(info).store, definition)
    ),
    "metafieldsSet": lambda _, info, metafields: metafields_set.metafields_set(
        _ctx(info).store, metafields
    ),
    "metafieldsDelete": lambda _, info, metafields: metafields_set.metafields_delete(
        _ctx(info).store, metafields
    ),
    # The schema gives groupObjects its version's default (false from 2026-01).
    "bulkOperationRunQuery": lambda _, info, query, groupObjects: _bulk(info).run_query(
        query, groupObjects, _ctx(info).version
    ),
    "bulkOperationRunMutation": lambda _, info, mutation, stagedUploadPath, **extra: _bulk(
        info
    ).run_mutation(mutation, stagedUploadPath, extra.get("clientIdentifier"), _ctx(info).version),
    "bulkOperationCancel": lambda _, info, id: _bulk(info).cancel(id),
    "stagedUploadsCreate": lambda _, info, input: _bulk(info).staged_uploads(
        input, _ctx(info).version
    ),
}

BINDINGS: dict[str, dict[str, Resolver]] = {
    "QueryRoot": QUERY_ROOT,
    "Mutation": MUTATION,
    "Product": PRODUCT,
    "ProductVariant": VARIANT,
    "InventoryItem": INVENTORY_ITEM,
    "InventoryLevel": INVENTORY_LEVEL,
    "Location": LOCATION,
    "ProductOptionValue": OPTION_VALUE,
    "Metafield": METAFIELD,
    "MediaImage": MEDIA_IMAGE,
    "Shop": SHOP,
    "BulkOperation": BULK_OPERATION,
    "MetafieldDefinition": DEFINITION,
}

TYPE_NAMES: dict[type, str] = {
    Product: "Product",
    Variant: "ProductVariant",
    BulkOperation: "BulkOperation",
    MediaImage: "MediaImage",
    Metafield: "Metafield",
    MetafieldDefinition: "MetafieldDefinition",
    Location: "Location",
    InventoryLevel: "InventoryLevel",
}


def _resolve_type(value: Any, info: GraphQLResolveInfo, abstract: Any) -> str | None:
    return TYPE_NAMES.get(type(value))


def _adapt(resolver: Resolver) -> Resolver:
    """graphql-core passes (source, info, **args); attrgetters only take the source."""
    if isinstance(resolver, attrgetter):
        return lambda source, info, **_: resolver(source)
    return resolver


def _date_time(value: Any) -> Any:
    return iso(value) if isinstance(value, int) else value


def build_emulator_schema(modern: bool = True) -> GraphQLSchema:
    """A fresh executable schema: the SDL with resolvers, type resolution and scalar formats.

    `modern`: the 2026-01-and-later schema (see `emulator.schema`); else the earlier one."""
    schema = build_sdl_schema(modern)
    for type_name, fields in BINDINGS.items():
        graphql_type = schema.type_map[type_name]
        assert isinstance(graphql_type, GraphQLObjectType)
        for field_name, resolver in fields.items():
            if field_name in graphql_type.fields:  # 2026-01 fields are absent before it
                graphql_type.fields[field_name].resolve = _adapt(resolver)
    for interface in ("Node", "Media"):
        schema.type_map[interface].resolve_type = _resolve_type  # type: ignore[attr-defined]
    date_time = schema.type_map["DateTime"]
    assert isinstance(date_time, GraphQLScalarType)
    date_time.coerce_output_value = _date_time
    date_time.serialize = _date_time  # type: ignore[method-assign]
    return schema
