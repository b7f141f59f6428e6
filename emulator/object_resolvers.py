"""Field resolvers of the store's objects: products, variants, inventory, media, metafields..."""

from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from graphql import GraphQLResolveInfo

from emulator import bulk_list, metafields_set
from emulator.connections import VARIANTS_PAGE_MAX, Resolver, ctx, positional
from emulator.ids import gid, gid_number
from emulator.media import READY, cdn_url, media_status
from emulator.metafields import resolve_namespace
from emulator.models import Location, MediaImage, Metafield, Product, Variant


def _metafields(owner: Product | Variant, info: GraphQLResolveInfo, **args: Any) -> dict[str, Any]:
    items = owner.metafields
    if args.get("namespace"):
        namespace = resolve_namespace(ctx(info).store, args["namespace"])
        items = [m for m in items if m.namespace == namespace]
    if args.get("keys"):
        wanted = set(args["keys"])
        items = [m for m in items if f"{m.namespace}.{m.key}" in wanted]
    return positional(info, items, args)


def _metafield(
    owner: Product | Variant, info: GraphQLResolveInfo, key: str, namespace: str | None = None
) -> Metafield | None:
    ns = resolve_namespace(ctx(info).store, namespace)
    return next((m for m in owner.metafields if m.namespace == ns and m.key == key), None)


def _selected_options(variant: Variant, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    product = ctx(info).store.products.get(variant.product_id)
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
    siblings = ctx(info).store.products[variant.product_id].variants
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
        f"{ctx(info).store.products[v.product_id].title} - {' / '.join(v.option_values)}"
    ),
    "inventoryPolicy": attrgetter("inventory_policy"),
    "inventoryQuantity": attrgetter("inventory_quantity"),
    "position": _position,
    "product": lambda v, info: ctx(info).store.products.get(v.product_id),
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
    store = ctx(info).store
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
    store = ctx(info).store
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
    "status": lambda m, info: media_status(ctx(info).store, m),
    "fileStatus": lambda m, info: media_status(ctx(info).store, m),
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
    "status": lambda b, info: bulk_list.visible_status(b, ctx(info).store.now()),
}

DEFINITION: dict[str, Resolver] = {
    "id": lambda d, _: gid("MetafieldDefinition", d.id),
    "ownerType": attrgetter("owner_type"),
    "type": lambda d, _: {"name": d.type, "category": "TEXT"},
    "capabilities": lambda d, _: {"uniqueValues": {"enabled": d.unique_values, "eligible": True}},
}
