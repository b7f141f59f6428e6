"""Turns a ProductSetInput into the ProductRecord Shopify would return after creating it.

A test model of Shopify (ids, the default option and variant, media from files, ACTIVE by
default), used to drive push -> pull round trips without a server.
"""

from typing import Any

from sync.product import MetafieldRecord, OptionRecord, ProductRecord, VariantRecord
from sync.write_plan import ProductWrite


def applied(write: ProductWrite) -> dict[str, Any]:
    """The productSet input a whole write amounts to on a new product: its metafieldsSet
    entries join `metafields`, its variant update becomes the one default variant."""
    result = dict(write.input)
    if write.metafields:
        result["metafields"] = [*result.get("metafields", []), *write.metafields]
    if write.variant_update:
        variant = {k: v for k, v in write.variant_update.items() if k != "inventoryItem"}
        sku = (write.variant_update.get("inventoryItem") or {}).get("sku")
        if sku is not None:
            variant["sku"] = sku
        variant["optionValues"] = [{"optionName": "Title", "name": "Default Title"}]
        result["variants"] = [variant]
    return result


def fake_product(product_set: dict[str, Any] | ProductWrite, product_id: int = 1) -> ProductRecord:
    if isinstance(product_set, ProductWrite):
        product_set = applied(product_set)
    options: list[OptionRecord] = [
        {"name": option["name"], "values": [value["name"] for value in option["values"]]}
        for option in product_set.get("productOptions", [])
    ] or [{"name": "Title", "values": ["Default Title"]}]
    variants: list[VariantRecord] = [
        {
            "id": f"gid://shopify/ProductVariant/{product_id * 1000 + position}",
            "sku": variant.get("sku"),
            "price": variant.get("price", "0.00"),
            "compareAtPrice": variant.get("compareAtPrice"),
            "barcode": variant.get("barcode"),
            "selectedOptions": [
                {"name": value["optionName"], "value": value["name"]}
                for value in variant["optionValues"]
            ],
        }
        for position, variant in enumerate(product_set.get("variants", []))
    ] or [
        {
            "id": f"gid://shopify/ProductVariant/{product_id * 1000}",
            "sku": None,
            "price": "0.00",
            "compareAtPrice": None,
            "barcode": None,
            "selectedOptions": [{"name": "Title", "value": "Default Title"}],
        }
    ]
    metafields: list[MetafieldRecord] = [dict(m) for m in product_set.get("metafields", [])]  # type: ignore[misc]
    seo = product_set.get("seo", {})
    title = product_set.get("title", "")
    return {
        "id": f"gid://shopify/Product/{product_id}",
        "title": title,
        "handle": product_set.get("handle") or title.lower().replace(" ", "-"),
        "descriptionHtml": product_set.get("descriptionHtml", ""),
        "vendor": product_set.get("vendor", ""),
        "productType": product_set.get("productType", ""),
        "status": product_set.get("status", "ACTIVE"),
        "tags": sorted(set(product_set.get("tags", []))),
        "updatedAt": "2026-01-01T00:00:00Z",
        "seo": {"title": seo.get("title"), "description": seo.get("description")},
        "options": options,
        "variants": variants,
        "metafields": metafields,
        "images": [file["originalSource"] for file in product_set.get("files", [])],
        "media": [
            {
                "id": f"gid://shopify/MediaImage/{product_id * 1000 + position}",
                "url": file["originalSource"],
                "alt": file.get("alt"),
            }
            for position, file in enumerate(product_set.get("files", []))
        ],
    }
