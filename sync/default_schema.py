"""The schema attributes the default field mappings read: a ready starting point
for a product schema, used by the demo, the benchmark and the tests."""

from typing import Any

DEFAULT_PRODUCT_ATTRIBUTES: list[dict[str, Any]] = [
    {"key": "name", "label": "Name", "type": "text", "required": True},
    {"key": "description", "label": "Description", "type": "richtext", "required": False},
    {"key": "vendor", "label": "Vendor", "type": "text", "required": False},
    {"key": "productType", "label": "Product type", "type": "text", "required": False},
    {"key": "tags", "label": "Tags", "type": "list", "required": False},
    {"key": "status", "label": "Status", "type": "text", "required": False},
    {"key": "sku", "label": "SKU", "type": "text", "required": False},
    {"key": "price", "label": "Price", "type": "money", "required": False},
    {"key": "variants", "label": "Variants", "type": "json", "required": False},
    {"key": "images", "label": "Images", "type": "list", "required": False},
]
