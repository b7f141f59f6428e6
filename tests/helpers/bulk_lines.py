"""JSONL lines of a bulk query result, as Shopify writes them."""

from typing import Any

P1 = "gid://shopify/Product/1"


P2 = "gid://shopify/Product/2"


def product_line(pid: str, title: str) -> dict[str, Any]:
    return {"id": pid, "title": title, "handle": title.lower(), "tags": [], "seo": None}


def variant_line(parent: str, n: int) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/ProductVariant/{n}",
        "sku": f"S{n}",
        "price": "1.00",
        "selectedOptions": [],
        "__parentId": parent,
    }


def image_line(parent: str, n: int) -> dict[str, Any]:
    return {
        "id": f"gid://shopify/MediaImage/{n}",
        "image": {"url": f"https://cdn/{n}.jpg"},
        "__parentId": parent,
    }


def metafield_line(parent: str) -> dict[str, Any]:
    return {
        "id": "gid://shopify/Metafield/5",
        "namespace": "sigma",
        "key": "entity_id",
        "type": "single_line_text_field",
        "value": "e1",
        "__parentId": parent,
    }
