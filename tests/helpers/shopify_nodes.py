"""Builders of Shopify-shaped product nodes for tests."""

from typing import Any


def variant_node(pid: int, n: int) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/ProductVariant/{pid * 1000 + n}",
        "sku": f"SKU-{pid}-{n}",
        "price": f"{n}.50",
        "compareAtPrice": None,
        "barcode": None,
        "selectedOptions": [{"name": "Size", "value": f"S{n}"}],
    }


def page(nodes: list[Any], has_next: bool = False, cursor: str | None = None) -> dict[str, Any]:
    return {"nodes": nodes, "pageInfo": {"hasNextPage": has_next, "endCursor": cursor}}


def product_node(
    pid: int,
    variants: int = 1,
    variants_next: str | None = None,
    metafields: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/Product/{pid}",
        "title": f"Product {pid}",
        "handle": f"product-{pid}",
        "descriptionHtml": "<p>Nice</p>",
        "vendor": "Acme",
        "productType": "Widget",
        "status": "ACTIVE",
        "tags": ["b", "a"],
        "updatedAt": "2026-11-26T23:10:11Z",
        "seo": {"title": None, "description": None},
        "options": [{"name": "Size", "values": [f"S{n}" for n in range(variants)]}],
        "variants": page(
            [variant_node(pid, n) for n in range(variants)],
            has_next=variants_next is not None,
            cursor=variants_next,
        ),
        "metafields": page(metafields or []),
        "media": page(
            [
                {"image": {"url": f"https://cdn.example/{pid}/1.jpg"}},
                {},  # a Video: no MediaImage fields selected
                {"image": {"url": f"https://cdn.example/{pid}/2.jpg"}},
            ]
        ),
    }
