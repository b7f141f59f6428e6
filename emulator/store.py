"""The shop's in-memory state: products, metafield definitions, bulk operations, uploaded files."""

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from emulator.clock import Clock
from emulator.models import (
    BulkOperation,
    Location,
    MediaImage,
    MetafieldDefinition,
    Product,
    UrlRedirect,
)
from emulator.updated_index import UpdatedIndex

MetafieldKey = tuple[str, str, str]  # (namespace, key, value)
DEFAULT_API_CLIENT_ID = 4_810_001


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
    results: dict[str, Path] = field(default_factory=dict)  # files on disk, by token
    expires: dict[str, int] = field(default_factory=dict)  # token -> epoch its link dies


def handleize(text: str) -> str:
    """Shopify's handle rule: lowercase ASCII words joined by '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "product"


class Store:
    """All shop state. Synchronous and single-threaded: the aiohttp loop serialises access.

    Products are mutated in place by the mutations, so the lookup indexes (metafield value and
    variant id -> product, updated_at order) are refreshed explicitly: `add_product`,
    `reindex_product` after any change to a stored product's metafields or variants, `touch` to
    move its `updated_at`, and `delete_product`.
    """

    def __init__(
        self,
        shop: ShopInfo,
        clock: Clock,
        first_id: int = 1_000_000_001,
        *,
        api_client_id: int = DEFAULT_API_CLIENT_ID,
        media_delay: float = 0.0,
    ) -> None:
        self.shop = shop
        self.clock = clock
        self._ids = itertools.count(first_id)
        # The calling app's API client id: `$app` namespaces resolve to `app--<this id>`.
        self.api_client_id = api_client_id
        # Seconds (emulator clock) a new media stays PROCESSING before it is READY.
        self.media_delay = media_delay
        # Every shop has at least one location; new inventory items are stocked at the first.
        self.locations: list[Location] = [Location(self._next(), "Shop location", clock.now())]
        # The shop's file library: every media ever created, attached to a product or not.
        self.library: dict[int, MediaImage] = {}
        self.filenames: set[str] = set()
        self.redirects: list[UrlRedirect] = []
        self.products: dict[int, Product] = {}
        self.handles: dict[str, int] = {}
        self.definitions: dict[tuple[str, str, str], MetafieldDefinition] = {}
        self.bulk_operations: dict[int, BulkOperation] = {}
        self.files = Files()
        # Holders per value, not one id: values need not be unique without a unique definition.
        self._by_metafield: dict[MetafieldKey, set[int]] = {}
        self._variant_products: dict[int, int] = {}
        # What each product was last indexed under; in-place edits make the product itself an
        # unreliable record of its old keys.
        self._indexed: dict[int, tuple[list[MetafieldKey], list[int]]] = {}
        self.by_updated = UpdatedIndex()

    def _next(self) -> int:
        return next(self._ids)

    def next_id(self) -> int:
        return next(self._ids)

    def location(self, location_id: int) -> Location | None:
        return next((loc for loc in self.locations if loc.id == location_id), None)

    def file_count(self) -> int:
        """How many files the shop's file library holds (what tests compare with images)."""
        return len(self.library)

    def add_redirect(self, old_handle: str, new_handle: str) -> None:
        self.redirects.append(
            UrlRedirect(self.next_id(), f"/products/{old_handle}", f"/products/{new_handle}")
        )

    def now(self) -> int:
        return self.clock.now()

    # --- products ---------------------------------------------------------------------------

    def add_product(self, product: Product) -> None:
        self.products[product.id] = product
        self.handles[product.handle] = product.id
        self.reindex_product(product)

    def delete_product(self, product_id: int) -> Product | None:
        product = self.products.pop(product_id, None)
        if product is not None:
            self.handles.pop(product.handle, None)
            self._unindex(product_id)
            self.by_updated.remove(product_id)
        return product

    def reindex_product(self, product: Product) -> None:
        """Refresh the lookup indexes after `product`'s metafields or variants changed."""
        self._unindex(product.id)
        keys: list[MetafieldKey] = []
        seen: set[tuple[str, str]] = set()
        for mf in product.metafields:
            # Lookups read a product's first metafield of a (namespace, key), as before.
            if (mf.namespace, mf.key) in seen:
                continue
            seen.add((mf.namespace, mf.key))
            key = (mf.namespace, mf.key, mf.value)
            keys.append(key)
            self._by_metafield.setdefault(key, set()).add(product.id)
        variant_ids = [v.id for v in product.variants]
        for variant_id in variant_ids:
            self._variant_products[variant_id] = product.id
        self._indexed[product.id] = (keys, variant_ids)
        self.by_updated.place(product.id, product.updated_at)

    def touch(self, product: Product, moment: int) -> None:
        """Set a stored product's `updated_at` (and its place in the updated_at order)."""
        product.updated_at = moment
        self.by_updated.place(product.id, moment)

    def _unindex(self, product_id: int) -> None:
        keys, variant_ids = self._indexed.pop(product_id, ([], []))
        for key in keys:
            holders = self._by_metafield.get(key)
            if holders is not None:
                holders.discard(product_id)
                if not holders:
                    del self._by_metafield[key]
        for variant_id in variant_ids:
            if self._variant_products.get(variant_id) == product_id:
                del self._variant_products[variant_id]

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
        holders = self._by_metafield.get((namespace, key, value))
        if not holders:
            return None
        if len(holders) == 1:
            return self.products.get(next(iter(holders)))
        # Several holders only without a unique definition: the first in store order, as a scan.
        return next((p for p in self.products.values() if p.id in holders), None)

    def variant_owner(self, variant_id: int) -> Product | None:
        product_id = self._variant_products.get(variant_id)
        return None if product_id is None else self.products.get(product_id)

    def variant_count(self) -> int:
        return len(self._variant_products)

    # --- metafield definitions --------------------------------------------------------------

    def unique_definition(self, owner_type: str, namespace: str, key: str) -> bool:
        definition = self.definitions.get((owner_type, namespace, key))
        return definition is not None and definition.unique_values
