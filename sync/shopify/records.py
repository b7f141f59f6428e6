"""Plain results of client operations, and the normalisation of Shopify product nodes."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sync.product import (
    MediaRecord,
    MetafieldRecord,
    OptionRecord,
    ProductRecord,
    SelectedOption,
    VariantRecord,
)


@dataclass(frozen=True)
class ShopInfo:
    name: str
    myshopify_domain: str
    primary_domain_url: str
    plan_name: str
    currency_code: str
    iana_timezone: str

    @classmethod
    def from_node(cls, shop: Mapping[str, Any]) -> "ShopInfo":
        return cls(
            name=str(shop.get("name") or ""),
            myshopify_domain=str(shop.get("myshopifyDomain") or ""),
            primary_domain_url=str((shop.get("primaryDomain") or {}).get("url") or ""),
            plan_name=str((shop.get("plan") or {}).get("displayName") or ""),
            currency_code=str(shop.get("currencyCode") or ""),
            iana_timezone=str(shop.get("ianaTimezone") or ""),
        )


@dataclass(frozen=True)
class UserError:
    """One entry of a mutation's `userErrors`: a per-item failure, not an exception."""

    field: list[str] | None
    message: str
    code: str | None

    @classmethod
    def from_node(cls, node: Mapping[str, Any]) -> "UserError":
        field = node.get("field")
        code = node.get("code")
        return cls(
            field=[str(f) for f in field] if isinstance(field, list) else None,
            message=str(node.get("message") or ""),
            code=str(code) if code else None,
        )

    def __str__(self) -> str:
        where = ".".join(self.field) if self.field else ""
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} ({self.code})" if self.code else text


@dataclass(frozen=True)
class ProductSetResult:
    """What productSet left in Shopify (`product`) or why it refused (`user_errors`)."""

    product: ProductRecord | None
    user_errors: list[UserError]
    product_id: str | None = None  # set on success, also when the product was not read

    @property
    def ok(self) -> bool:
        return (self.product is not None or self.product_id is not None) and not self.user_errors


def connection_nodes(value: Any) -> list[Any]:
    """Items of a connection given as `{nodes}`, `{edges: [{node}]}` or a plain list."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Mapping):
        if isinstance(value.get("nodes"), list):
            return list(value["nodes"])
        if isinstance(value.get("edges"), list):
            return [edge.get("node") for edge in value["edges"] if isinstance(edge, Mapping)]
    return []


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def variant_record(node: Mapping[str, Any]) -> VariantRecord:
    return VariantRecord(
        id=str(node["id"]),
        sku=_opt_str(node.get("sku")),
        price=str(node.get("price") if node.get("price") is not None else "0.00"),
        compareAtPrice=_opt_str(node.get("compareAtPrice")),
        barcode=_opt_str(node.get("barcode")),
        selectedOptions=[
            SelectedOption(name=str(o["name"]), value=str(o["value"]))
            for o in node.get("selectedOptions") or []
        ],
    )


def product_record(node: Mapping[str, Any]) -> ProductRecord:
    """Normalise one Shopify Product node (page, lookup or reassembled bulk line group)."""
    seo = node.get("seo") or {}
    return ProductRecord(
        id=str(node["id"]),
        title=str(node.get("title") or ""),
        handle=str(node.get("handle") or ""),
        descriptionHtml=str(node.get("descriptionHtml") or ""),
        vendor=str(node.get("vendor") or ""),
        productType=str(node.get("productType") or ""),
        status=str(node.get("status") or ""),
        tags=[str(t) for t in node.get("tags") or []],
        updatedAt=str(node.get("updatedAt") or ""),
        seo={"title": _opt_str(seo.get("title")), "description": _opt_str(seo.get("description"))},
        options=[
            OptionRecord(name=str(o["name"]), values=[str(v) for v in o.get("values") or []])
            for o in node.get("options") or []
        ],
        variants=[variant_record(v) for v in connection_nodes(node.get("variants")) if v],
        metafields=[
            MetafieldRecord(
                namespace=str(m["namespace"]),
                key=str(m["key"]),
                type=str(m["type"]),
                value=str(m["value"]),
            )
            for m in connection_nodes(node.get("metafields"))
            if m
        ],
        images=[
            str(m["image"]["url"])
            for m in connection_nodes(node.get("media"))
            if isinstance(m, Mapping)
            and isinstance(m.get("image"), Mapping)
            and m["image"].get("url")
        ],
        media=media_records(node.get("media")),
    )


def media_records(connection: Any) -> list[MediaRecord]:
    """A product's media, ready or still processing (`image` null), each with its id."""
    records: list[MediaRecord] = []
    for node in connection_nodes(connection):
        if not isinstance(node, Mapping) or not node.get("id"):
            continue
        image = node.get("image")
        url = image.get("url") if isinstance(image, Mapping) else None
        records.append(
            MediaRecord(id=str(node["id"]), url=_opt_str(url), alt=_opt_str(node.get("alt")))
        )
    return records
