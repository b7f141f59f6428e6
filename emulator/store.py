"""The shop's in-memory state: products, metafield definitions, bulk operations, uploaded files."""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field

from emulator.clock import Clock
from emulator.models import BulkOperation, MetafieldDefinition, Product


@dataclass
class ShopInfo:
    name: str
    domain: str  # NAME.myshopify.com
    shop_id: int = 1
    currency_code: str = "USD"
    iana_timezone: str = "UTC"
    plan_display_name: str = "Basic"
    partner_development: bool = False
    shopify_plus: bool = False


@dataclass
class Files:
    """Blobs the emulator serves: staged uploads (by key) and bulk results (by token)."""

    staged: dict[str, bytes] = field(default_factory=dict)
    results: dict[str, bytes] = field(default_factory=dict)


def handleize(text: str) -> str:
    """Shopify's handle rule: lowercase ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "product"


class Store:
    """All shop state. Synchronous and single-threaded: the aiohttp loop serialises access."""

    def __init__(self, shop: ShopInfo, clock: Clock, first_id: int = 1_000_000_001) -> None:
        self.shop = shop
        self.clock = clock
        self._ids = itertools.count(first_id)
        self.products: dict[int, Product] = {}
        self.handles: dict[str, int] = {}
        self.definitions: dict[tuple[str, str, str], MetafieldDefinition] = {}
        self.bulk_operations: dict[int, BulkOperation] = {}
        self.files = Files()

    def next_id(self) -> int:
        return next(self._ids)

    def now(self) -> int:
        return self.clock.now()

    # --- products ---------------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        self.products[product.id] = product
        self.handles[product.handle] = product.id

    def delete_product(self, product_id: int) -> Product | None:
        product = self.products.pop(product_id, None)
        if product is not None:
            self.handles.pop(product.handle, None)
        return product

    def product_by_handle(self, handle: str) -> Product | None:
        product_id = self.handles.get(handle)
        return None if product_id is None else self.products.get(product_id)

    def handle_taken(self, handle: str, product_id: int | None) -> bool:
        owner = self.handles.get(handle)
        return owner is not None and owner != product_id

    def unique_handle(self, base: str, product_id: int | None = None) -> str:
        """A free handle from `base`: Shopify appends -1, -2, ... to a generated handle in use."""
        candidate = handleize(base)
        for n in itertools.count(1):
            if not self.handle_taken(candidate, product_id):
                return candidate
            candidate = f"{handleize(base)}-{n}"
        raise AssertionError("unreachable")

    def set_handle(self, product: Product, handle: str) -> None:
        if self.handles.get(product.handle) == product.id:
            del self.handles[product.handle]
        product.handle = handle
        self.handles[handle] = product.id

    def product_by_metafield(self, namespace: str, key: str, value: str) -> Product | None:
        for product in self.products.values():
            mf = product.metafield(namespace, key)
            if mf is not None and mf.value == value:
                return product
        return None

    def variant_owner(self, variant_id: int) -> Product | None:
        for product in self.products.values():
            if any(v.id == variant_id for v in product.variants):
                return product
        return None

    def variant_count(self) -> int:
        return sum(len(p.variants) for p in self.products.values())

    # --- metafield definitions --------------------------------------------------------------

    def unique_definition(self, owner_type: str, namespace: str, key: str) -> bool:
        definition = self.definitions.get((owner_type, namespace, key))
        return definition is not None and definition.unique_values
