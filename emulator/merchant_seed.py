"""A store that looks like a real merchant's before our app is connected.

What a live store already holds, and what a sync must leave alone (issue 8):
- products that sell the PIM's items, found by SKU, handle or barcode but carrying no identity
  metafield yet, so the first run must link them rather than create duplicates;
- metafields of the merchant (`custom.*`), of a reviews app (`reviews.rating`), of an SEO app in
  an ordinary namespace, and of another app in its reserved namespace (`app--<other id>--…`),
  on products and on variants;
- a variant the merchant added by hand to a product the PIM knows as a single variant, with stock;
- images uploaded long ago (READY) and stock at the shop's location on every variant;
- products the PIM knows nothing about.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from emulator.media import seeded_media
from emulator.models import (
    Metafield,
    MetafieldDefinition,
    OptionValue,
    Product,
    ProductOption,
    Variant,
)
from emulator.store import Store
from emulator.variant_input import new_variant

OTHER_APP_NAMESPACE = "app--7654321--reviews"  # another app's reserved namespace
SEO_NAMESPACE = "smart_seo"  # an SEO app writing an ordinary namespace
GIFT_WRAP = "Gift wrap"


@dataclass(frozen=True)
class PimItem:
    """What the PIM knows of an item, enough for the store to sell it under the same keys."""

    title: str
    sku: str | None = None
    handle: str | None = None
    barcode: str | None = None
    price: str = "10.00"


DEFAULT_ITEMS = (
    PimItem("Linen Shirt", "LS-001", "linen-shirt", "4006381333931", "49.00"),
    PimItem("Wool Scarf", "WS-002", "wool-scarf", "4006381333948", "29.00"),
    PimItem("Canvas Tote", "CT-003", "canvas-tote", "4006381333955", "19.50"),
    PimItem("Leather Belt", "LB-004", "leather-belt", "4006381333962", "39.00"),
)


@dataclass
class MerchantStore:
    """What the seed made, for tests to compare before and after a sync."""

    linked: dict[str, int] = field(default_factory=dict)  # item title -> product id
    unrelated: list[int] = field(default_factory=list)
    merchant_variants: list[int] = field(default_factory=list)  # variant ids the merchant added
    duplicates: list[int] = field(default_factory=list)  # second products sharing an item's SKU


def _metafield(store: Store, namespace: str, key: str, type_name: str, value: str) -> Metafield:
    now = store.now()
    return Metafield(store.next_id(), namespace, key, type_name, value, now, now)


def _merchant_metafields(store: Store, title: str, n: int) -> list[Metafield]:
    return [
        _metafield(store, "custom", "material", "single_line_text_field", ["Linen", "Wool"][n % 2]),
        _metafield(store, "custom", "care", "multi_line_text_field", "Cold wash\nNo tumble dry"),
        _metafield(
            store,
            "reviews",
            "rating",
            "rating",
            f'{{"value": "4.{n % 10}", "scale_min": "1.0", "scale_max": "5.0"}}',
        ),
        _metafield(store, SEO_NAMESPACE, "keywords", "single_line_text_field", f"{title}, gift"),
        _metafield(store, OTHER_APP_NAMESPACE, "summary", "json", f'{{"count": {n + 3}}}'),
    ]


def _product(store: Store, title: str, handle: str | None, n: int) -> Product:
    now = store.now()
    handle = handle if handle and not store.handle_taken(handle, None) else None
    product = Product(store.next_id(), title, handle or store.unique_handle(title), now, now)
    product.vendor = "Merchant Co"
    product.product_type = "Apparel"
    product.tags = ["merchant"]
    product.description_html = f"<p>{title}, written by the merchant.</p>"
    product.metafields = _merchant_metafields(store, title, n)
    product.media = [
        seeded_media(store, f"https://merchant.example.com/img/{product.handle}-{k}.jpg", title)
        for k in range(2)
    ]
    return product


def _variant(
    store: Store, product: Product, values: list[str], sku: str | None, stock: int
) -> Variant:
    variant = new_variant(store, product.id, values, store.now())
    variant.sku = sku
    variant.tracked = True
    variant.stock = {store.locations[0].id: stock}
    return variant


def _sell(store: Store, item: PimItem, n: int, with_gift_wrap: bool) -> tuple[Product, list[int]]:
    product = _product(store, item.title, item.handle, n)
    added: list[int] = []
    if with_gift_wrap:
        # The PIM knows one variant; the merchant added a gift-wrapped one, with its own stock.
        values = ["Standard", GIFT_WRAP]
        product.options = [
            ProductOption(
                store.next_id(), "Style", [OptionValue(store.next_id(), v) for v in values]
            )
        ]
        main = _variant(store, product, ["Standard"], item.sku, 12 + n)
        gift = _variant(store, product, [GIFT_WRAP], f"{item.sku}-GIFT" if item.sku else None, 4)
        gift.price = "5.00"
        gift.metafields = [
            _metafield(store, "custom", "wrap_colour", "single_line_text_field", "Red")
        ]
        product.variants = [main, gift]
        added.append(gift.id)
    else:
        product.options = [
            ProductOption(store.next_id(), "Title", [OptionValue(store.next_id(), "Default Title")])
        ]
        main = _variant(store, product, ["Default Title"], item.sku, 12 + n)
        product.variants = [main]
    main.price = item.price
    main.barcode = item.barcode
    main.metafields = [_metafield(store, "custom", "fabric", "single_line_text_field", "Natural")]
    store.add_product(product)
    return product, added


def _definitions(store: Store) -> None:
    """The merchant's own definitions, as the admin's Custom data page creates them."""
    for key, type_name in (
        ("material", "single_line_text_field"),
        ("care", "multi_line_text_field"),
    ):
        store.definitions[("PRODUCT", "custom", key)] = MetafieldDefinition(
            store.next_id(), key.title(), "custom", key, type_name, "PRODUCT", False
        )


def seed_merchant_store(
    store: Store,
    items: Sequence[PimItem | Mapping[str, str]] = DEFAULT_ITEMS,
    *,
    unrelated: int = 3,
    duplicate_skus: Sequence[str] = (),
) -> MerchantStore:
    """Fill `store` like a merchant's: one product per item (every other one with a
    merchant-added variant), `unrelated` products the PIM does not know, and for each SKU in
    `duplicate_skus` a second product selling it (an ambiguous match)."""
    seeded = MerchantStore()
    _definitions(store)
    pim = [i if isinstance(i, PimItem) else PimItem(**i) for i in items]
    for n, item in enumerate(pim):
        product, added = _sell(store, item, n, with_gift_wrap=n % 2 == 0)
        seeded.linked[item.title] = product.id
        seeded.merchant_variants += added
    for n in range(unrelated):
        item = PimItem(f"Merchant Candle {n + 1}", f"CANDLE-{n + 1:03d}", price="15.00")
        product, _ = _sell(store, item, n, with_gift_wrap=False)
        seeded.unrelated.append(product.id)
    for n, sku in enumerate(duplicate_skus):
        original = next((i for i in pim if i.sku == sku), PimItem(sku, sku))
        item = PimItem(f"{original.title} (old listing)", sku, None, None, original.price)
        product, _ = _sell(store, item, n, with_gift_wrap=False)
        seeded.duplicates.append(product.id)
    return seeded


def store_counts(store: Store) -> dict[str, int]:
    """Products, variants, files (the file library) and metafields (products' and variants')."""
    products = list(store.products.values())
    return {
        "products": len(products),
        "variants": sum(len(p.variants) for p in products),
        "files": store.file_count(),
        "metafields": sum(
            len(p.metafields) + sum(len(v.metafields) for v in p.variants) for p in products
        ),
    }
