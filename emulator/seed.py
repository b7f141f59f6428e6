"""Deterministic, realistic sample products for a fresh emulator shop."""

import itertools
import random

from emulator.media import seeded_media
from emulator.models import Metafield, OptionValue, Product, ProductOption, Variant
from emulator.store import Store

VENDORS = [
    "Acme Outfitters",
    "Northwind",
    "Globex",
    "Initech Apparel",
    "Umbrella Goods",
    "Stark Supply",
]
TYPES = ["T-Shirt", "Hoodie", "Sneakers", "Backpack", "Mug", "Poster", "Cap"]
ADJECTIVES = ["Classic", "Vintage", "Organic", "Premium", "Everyday", "Limited", "Urban", "Coastal"]
COLORS = ["Black", "White", "Navy", "Red", "Olive", "Sand"]
SIZES = ["XS", "S", "M", "L", "XL"]
MATERIALS = ["Cotton", "Wool", "Linen"]
TAGS = ["new", "sale", "summer", "winter", "eco", "bestseller", "gift", "limited"]


def _price(rng: random.Random) -> str:
    return f"{rng.randint(5, 199)}.{rng.choice(['00', '50', '95', '99'])}"


def seed_products(store: Store, count: int, seed: int = 1) -> list[Product]:
    """Add `count` products: a mix of single-variant and 2-3 option products with metafields
    and images."""
    rng = random.Random(seed)
    created: list[Product] = []
    for n in range(count):
        now = store.now()
        title = f"{rng.choice(ADJECTIVES)} {rng.choice(COLORS)} {rng.choice(TYPES)} {n + 1}"
        product = Product(store.next_id(), title, store.unique_handle(title), now, now)
        product.vendor = rng.choice(VENDORS)
        product.product_type = rng.choice(TYPES)
        product.status = rng.choices(["ACTIVE", "DRAFT", "ARCHIVED"], [8, 1, 1])[0]
        product.tags = sorted(rng.sample(TAGS, rng.randint(0, 3)))
        product.description_html = f"<p>{title}, made by {product.vendor}.</p>"
        product.seo_title = title if rng.random() < 0.5 else None
        kind = rng.random()
        axes: list[tuple[str, list[str]]]
        if kind < 0.4:
            axes = [("Title", ["Default Title"])]
        elif kind < 0.8:
            axes = [
                ("Size", rng.sample(SIZES, rng.randint(2, 4))),
                ("Color", rng.sample(COLORS, rng.randint(1, 3))),
            ]
        else:
            axes = [
                ("Size", rng.sample(SIZES, 2)),
                ("Color", rng.sample(COLORS, 2)),
                ("Material", rng.sample(MATERIALS, 2)),
            ]
        product.options = [
            ProductOption(store.next_id(), name, [OptionValue(store.next_id(), v) for v in values])
            for name, values in axes
        ]
        base_price = _price(rng)
        sku_root = f"SKU-{n + 1:05d}"
        for i, combo in enumerate(itertools.product(*(values for _, values in axes))):
            variant = Variant(
                store.next_id(), store.next_id(), product.id, list(combo), base_price, now, now
            )
            variant.sku = sku_root if combo == ("Default Title",) else f"{sku_root}-{i + 1}"
            variant.barcode = f"{rng.randint(10**11, 10**12 - 1)}" if rng.random() < 0.5 else None
            variant.compare_at_price = (
                f"{int(float(base_price)) + 10}.00" if rng.random() < 0.3 else None
            )
            # Stock from the indexes, not `rng`, so adding it kept every other seeded value.
            variant.stock = {store.locations[0].id: (n * 7 + i * 3) % 25}
            product.variants.append(variant)
        product.metafields = [
            Metafield(
                store.next_id(),
                "custom",
                "material",
                "single_line_text_field",
                rng.choice(MATERIALS),
                now,
                now,
            ),
        ]
        if rng.random() < 0.5:
            care = "Machine wash cold"
            product.metafields.append(
                Metafield(
                    store.next_id(), "custom", "care", "multi_line_text_field", care, now, now
                )
            )
        product.media = [
            seeded_media(store, f"https://cdn.example.com/{product.handle}-{k}.jpg", title)
            for k in range(rng.randint(0, 3))
        ]
        store.add_product(product)
        created.append(product)
    return created
