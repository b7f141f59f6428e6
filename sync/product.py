"""The product record: one Shopify product as the sync engine sees it.

The Shopify client turns every product it reads (a page of `products`, a `product(id:)` lookup or
a line group of a bulk-operation JSONL file) into this shape, with connections flattened to lists;
the mapping and checksum functions read only this shape. Field names are Shopify's.
"""

from typing import NotRequired, TypedDict


class SelectedOption(TypedDict):
    name: str
    value: str


class VariantRecord(TypedDict):
    id: str
    sku: str | None
    price: str  # Money: a decimal string, e.g. "29.99"
    compareAtPrice: str | None
    barcode: str | None
    selectedOptions: list[SelectedOption]


class OptionRecord(TypedDict):
    name: str
    values: list[str]


class MetafieldRecord(TypedDict):
    namespace: str
    key: str
    type: str
    value: str


class MediaRecord(TypedDict):
    id: str  # gid://shopify/MediaImage/123: what `files: [{id}]` keeps
    url: str | None  # None while Shopify processes the media (status PROCESSING) or on FAILED
    alt: str | None


class SeoRecord(TypedDict):
    title: str | None
    description: str | None


class ProductRecord(TypedDict):
    id: str  # gid://shopify/Product/123
    title: str
    handle: str
    descriptionHtml: str
    vendor: str
    productType: str
    status: str  # ACTIVE | DRAFT | ARCHIVED
    tags: list[str]
    updatedAt: str  # ISO 8601, UTC, e.g. "2026-11-26T23:10:11Z"
    seo: SeoRecord
    options: list[OptionRecord]
    variants: list[VariantRecord]
    metafields: list[MetafieldRecord]
    images: list[str]  # URLs of the product's MediaImage media that have one, in order
    # Every media with its id, in order (images ready or not); absent in hand-built records
    media: NotRequired[list[MediaRecord]]
