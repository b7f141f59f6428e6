"""Field mappings, entities and hypothesis strategies shared by the mapping and checksum tests,
and the push side of a mapping (`push`, `write`) as those tests call it."""

import json
from typing import Any

from hypothesis import strategies as st

from sync.fields import FieldMapping
from sync.mapping import product_set_input
from sync.write_plan import ProductWrite, plan_write

RICH = [
    FieldMapping("name", "title"),
    FieldMapping("description", "descriptionHtml"),
    FieldMapping("vendor", "vendor"),
    FieldMapping("kind", "productType"),
    FieldMapping("handle", "handle"),
    FieldMapping("status", "status"),
    FieldMapping("tags", "tags"),
    FieldMapping("seoTitle", "seo.title"),
    FieldMapping("seoDescription", "seo.description"),
    FieldMapping("sku", "variant.sku"),
    FieldMapping("price", "variant.price"),
    FieldMapping("compareAt", "variant.compareAtPrice"),
    FieldMapping("barcode", "variant.barcode"),
    FieldMapping("variants", "variants"),
    FieldMapping("images", "images"),
    FieldMapping("material", "metafield.custom.material"),
    FieldMapping("notes", "metafield.custom.notes", metafield_type="multi_line_text_field"),
    FieldMapping("stock", "metafield.custom.stock", metafield_type="number_integer"),
    FieldMapping("weight", "metafield.custom.weight", metafield_type="number_decimal"),
    FieldMapping("fragile", "metafield.custom.fragile", metafield_type="boolean"),
    FieldMapping("specs", "metafield.custom.specs", metafield_type="json"),
    FieldMapping("colors", "metafield.custom.colors", metafield_type="list.single_line_text_field"),
]


FULL_SINGLE: dict[str, Any] = {
    "name": "Shirt", "description": "<p>x</p>", "vendor": "Acme", "kind": "Tops",
    "handle": "shirt", "status": "DRAFT", "tags": ["a", "b"], "seoTitle": "T",
    "seoDescription": "D", "sku": "S", "price": "1.00", "compareAt": "2.00", "barcode": "B",
    "variants": [], "images": ["https://x/a.png"], "material": "wool", "notes": "l1\nl2",
    "stock": 3, "weight": 0.5, "fragile": False, "specs": {"k": [1]}, "colors": ["red"],
}  # fmt: skip


FULL_MULTI: dict[str, Any] = {
    **FULL_SINGLE,
    "sku": None, "price": None, "compareAt": None, "barcode": None,
    "variants": [
        {"sku": "S-R", "price": "1.00", "options": {"Size": "S", "Color": "Red"}},
        {"price": "2.50", "barcode": "9", "compareAtPrice": "3.00",
         "options": {"Size": "M", "Color": "Red"}},
    ],
}  # fmt: skip


text = st.text(st.characters(codec="utf-8"), max_size=12)


word = st.text("abcdefgh XYZ-_é", min_size=1, max_size=8).map(str.strip).filter(bool)


amount = st.decimals(min_value=0, max_value=10**6, places=2).map(lambda d: f"{d:.2f}")


def _not_json_text(value: str) -> bool:
    # A string that is JSON text ("0", "[]") is read as that JSON value by design
    # (encode_metafield), so it cannot come back as the same string.
    try:
        json.loads(value)
    except ValueError:
        return True
    return False


json_value = st.recursive(
    st.none() | st.booleans() | st.integers(-1000, 1000) | text.filter(_not_json_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(word, inner, max_size=3),
    max_leaves=6,
)


decimal_number = st.decimals(min_value=-1000, max_value=1000, places=3).map(
    lambda d: int(d) if d == d.to_integral_value() else float(d)
)


@st.composite
def variant_lists(draw: st.DrawFn) -> list[dict[str, Any]]:
    names = draw(st.lists(word, min_size=1, max_size=3, unique=True))
    combos = draw(st.lists(st.tuples(*[word for _ in names]), min_size=1, max_size=5, unique=True))
    variants = []
    for combo in combos:
        variant: dict[str, Any] = {
            "price": draw(amount),
            "options": dict(zip(names, combo, strict=True)),
        }
        for key, strategy in (("sku", word), ("barcode", word), ("compareAtPrice", amount)):
            if draw(st.booleans()):
                variant[key] = draw(strategy)
        variants.append(variant)
    return variants


@st.composite
def entities(draw: st.DrawFn) -> dict[str, Any]:
    """Entities whose every mapped attribute holds a value already in canonical form."""
    attributes: dict[str, Any] = {
        "name": draw(text), "description": draw(text), "vendor": draw(text), "kind": draw(text),
        "handle": draw(word), "status": draw(st.sampled_from(["ACTIVE", "DRAFT", "ARCHIVED"])),
        "tags": sorted(draw(st.sets(word, max_size=4))), "seoTitle": draw(text),
        "seoDescription": draw(text),
        "images": draw(st.lists(word.map(lambda w: f"https://img.example/{w}.png"), max_size=3)),
        "material": draw(word), "notes": draw(word), "stock": draw(st.integers(-10**6, 10**6)),
        "weight": draw(decimal_number), "fragile": draw(st.booleans()),
        "specs": draw(json_value.filter(lambda v: v is not None and v != "")),
        "colors": draw(st.lists(word, max_size=3)),
    }  # fmt: skip
    if draw(st.booleans()):
        attributes |= {"variants": draw(variant_lists()), "sku": None, "price": None,
                       "compareAt": None, "barcode": None}  # fmt: skip
    else:
        attributes |= {"variants": [], "sku": draw(word), "price": draw(amount),
                       "compareAt": draw(amount), "barcode": draw(word)}  # fmt: skip
    return attributes


IDENTITY = {
    "namespace": "sigma",
    "key": "entity_id",
    "type": "single_line_text_field",
    "value": "e1",
}


def push(attributes: dict[str, Any], mappings: Any = RICH, **kw: Any) -> dict[str, Any]:
    return product_set_input(
        attributes, mappings, include_identity=kw.get("include_identity", False), entity_id="e1"
    )


def write(attributes: dict[str, Any], mappings: Any = RICH, **kw: Any) -> ProductWrite:
    """The whole write of a push: productSet input, metafieldsSet entries, variant update."""
    return plan_write(
        attributes, mappings, entity_id="e1", create=kw.get("include_identity", False)
    )
