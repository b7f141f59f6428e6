"""JSONL lines of a bulk query result, as Shopify writes them, and a polled operation's answer."""

import json
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


def json_lines(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def operation(op_id: str, status: str, url: str | None = None) -> dict[str, Any]:
    return {
        "data": {
            "node": {
                "id": op_id,
                "status": status,
                "errorCode": None,
                "objectCount": "3",
                "rootObjectCount": "2",
                "url": url,
                "partialDataUrl": None,
            }
        }
    }
