"""The emulator's in-memory records: plain mutable dataclasses, timestamps as epoch seconds."""

import itertools
from dataclasses import dataclass, field

from emulator.versions import UNSTABLE, Served

_EDITS = itertools.count(1)


@dataclass(eq=False)
class Metafield:
    id: int
    namespace: str
    key: str
    type: str
    value: str
    created_at: int
    updated_at: int
    owner_type: str = "PRODUCT"


@dataclass(eq=False)
class OptionValue:
    id: int
    name: str


@dataclass(eq=False)
class ProductOption:
    id: int
    name: str
    values: list[OptionValue]


@dataclass(eq=False)
class MediaImage:
    """A product image; in Shopify also a File of the shop's file library.

    `url` is the source it was created from. Shopify processes media asynchronously: the media
    is PROCESSING (its `image` null) until `ready_at` on the emulator clock, then READY, or FAILED
    when the source cannot be fetched (https://shopify.dev/docs/api/admin-graphql/latest/enums/MediaStatus).
    """

    id: int
    image_id: int
    url: str
    alt: str | None
    created_at: int
    updated_at: int
    filename: str = ""
    ready_at: float = 0.0
    failed: bool = False


@dataclass(eq=False)
class Location:
    id: int
    name: str
    created_at: int


@dataclass(eq=False)
class UrlRedirect:
    """A redirect from an old storefront path (`redirectNewHandle: true`)."""

    id: int
    path: str
    target: str


@dataclass(eq=False)
class Variant:
    id: int
    inventory_item_id: int
    product_id: int
    option_values: list[str]  # one value per product option, in option order
    price: str
    created_at: int
    updated_at: int
    sku: str | None = None
    compare_at_price: str | None = None
    barcode: str | None = None
    taxable: bool = True
    inventory_policy: str = "DENY"
    tracked: bool = False
    metafields: list[Metafield] = field(default_factory=list)
    # Available quantity per location id: the variant's inventory item is stocked there.
    stock: dict[int, int] = field(default_factory=dict)

    @property
    def inventory_quantity(self) -> int:
        return sum(self.stock.values())


@dataclass(eq=False)
class Product:
    id: int
    title: str
    handle: str
    created_at: int
    updated_at: int
    description_html: str = ""
    vendor: str = ""
    product_type: str = ""
    status: str = "ACTIVE"
    tags: list[str] = field(default_factory=list)
    seo_title: str | None = None
    seo_description: str | None = None
    options: list[ProductOption] = field(default_factory=list)
    variants: list[Variant] = field(default_factory=list)
    metafields: list[Metafield] = field(default_factory=list)
    media: list[MediaImage] = field(default_factory=list)
    # Bumped by every write of `updated_at`, which every change of a product makes (even two in
    # one second, where the timestamp alone stays equal): how webhooks see what a request changed.
    edit: int = 0

    def __setattr__(self, name: str, value: object) -> None:
        if name == "updated_at":
            object.__setattr__(self, "edit", next(_EDITS))
        object.__setattr__(self, name, value)

    def metafield(self, namespace: str, key: str) -> Metafield | None:
        for mf in self.metafields:
            if mf.namespace == namespace and mf.key == key:
                return mf
        return None


@dataclass(eq=False)
class MetafieldDefinition:
    id: int
    name: str
    namespace: str
    key: str
    type: str
    owner_type: str
    unique_values: bool


@dataclass(eq=False)
class BulkOperation:
    id: int
    type: str  # QUERY | MUTATION
    query: str
    created_at: int
    status: str = "CREATED"
    completed_at: int | None = None
    error_code: str | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None
    cancel_requested: bool = False
    client_identifier: str | None = None  # stored, not readable: BulkOperation has no field
    shuffled: bool = False  # ungrouped query output (groupObjects: false)
    version: Served = field(default_factory=lambda: Served(UNSTABLE, UNSTABLE))
