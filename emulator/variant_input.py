"""One variant input, checked and applied the same way by productSet and the
productVariantsBulk* mutations.

`ProductVariantSetInput` (productSet) and `ProductVariantsBulkInput` (bulk mutations) share their
fields except `sku` (productSet only; the bulk mutations write `inventoryItem.sku`) and the shape
of `inventoryQuantities`: `{locationId, name: "available"|"on_hand", quantity}` for productSet
(ProductSetInventoryInput; "If you're updating an existing variant, then you can only update the
quantities at locations where the variant is already stocked"), `{locationId, availableQuantity}`
for the bulk mutations, "Supported as input with the `productVariantsBulkCreate` mutation only"
(InventoryLevelInput; productVariantsBulkUpdate answers
`NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE`). Both descriptions are Shopify's SDL.
"""

from dataclasses import dataclass
from typing import Any

from emulator.ids import gid_number
from emulator.metafields import UserError, merge_metafields, user_error, validate_metafields
from emulator.models import Variant
from emulator.store import Store
from emulator.values import money

QUANTITY_NAMES = ("available", "on_hand")


@dataclass(frozen=True)
class Codes:
    """The userError codes of one mutation's payload for the shared checks."""

    price: str
    negative_price: str
    metafield: str | None
    location: str
    quantities_on_update: str | None  # None: quantities allowed on update


SET_CODES = Codes("INVALID_VARIANT", "INVALID_VARIANT", "INVALID_METAFIELD", "INVALID_INPUT", None)
BULK_CREATE_CODES = Codes(
    "INVALID", "NEGATIVE_PRICE_VALUE", "INVALID", "TRACKED_VARIANT_LOCATION_NOT_FOUND", None
)
BULK_UPDATE_CODES = Codes(
    "INVALID",
    "NEGATIVE_PRICE_VALUE",
    "INVALID",
    "INVALID",
    "NO_INVENTORY_QUANTITIES_ON_VARIANTS_UPDATE",
)


def _quantities(item: dict[str, Any]) -> list[tuple[str, str, int]]:
    """(locationId, name, quantity) whichever input shape was used."""
    result = []
    for q in item.get("inventoryQuantities") or []:
        if "availableQuantity" in q:
            result.append((q["locationId"], "available", q["availableQuantity"]))
        else:
            result.append((q["locationId"], q.get("name") or "", q.get("quantity", 0)))
    return result


def check_variant_input(
    store: Store,
    item: dict[str, Any],
    where: list[str],
    existing: Variant | None,
    codes: Codes,
) -> list[UserError]:
    """Shopify's checks on one variant input; `existing` is the variant being updated."""
    errors: list[UserError] = []
    for name in ("price", "compareAtPrice"):
        if item.get(name) is None:
            continue
        try:
            money(item[name])
        except ValueError as exc:
            label = "Price" if name == "price" else "Compare at price"
            code = codes.negative_price if "greater" in str(exc) else codes.price
            errors.append(user_error([*where, name], f"{label} {exc}", code))
    if item.get("metafields"):
        errors += validate_metafields(
            store,
            item["metafields"],
            [*where, "metafields"],
            "PRODUCTVARIANT",
            None,
            codes.metafield,
        )
    quantities = _quantities(item)
    if quantities and existing is not None and codes.quantities_on_update:
        message = "Inventory quantities can only be provided when creating variants."
        code = codes.quantities_on_update
        return [*errors, user_error([*where, "inventoryQuantities"], message, code)]
    for index, (location_gid, name, _) in enumerate(quantities):
        at = [*where, "inventoryQuantities", str(index)]
        number = gid_number(location_gid, "Location")
        if number is None or store.location(number) is None:
            message = "Location does not exist."
            errors.append(user_error([*at, "locationId"], message, codes.location))
        elif existing is not None and number not in existing.stock:
            message = "The variant is not stocked at this location."
            errors.append(user_error([*at, "locationId"], message, codes.location))
        if name not in QUANTITY_NAMES:
            message = "Name must be one of available, on_hand."
            errors.append(user_error([*at, "name"], message, codes.location))
    return errors


def apply_variant_input(
    store: Store, variant: Variant, item: dict[str, Any], now: int, *, replace_metafields: bool
) -> None:
    """Write a checked input onto `variant`; `updated_at` moves only when something changed.

    `replace_metafields`: productSet's list semantics (metafields not named are deleted); the bulk
    mutations add or update the named ones only.
    """
    before = repr(variant)
    if item.get("price") is not None:
        variant.price = money(item["price"])
    if "compareAtPrice" in item:
        value = item["compareAtPrice"]
        variant.compare_at_price = None if value is None else money(value)
    if "barcode" in item:
        variant.barcode = item["barcode"]
    if "sku" in item:
        variant.sku = item["sku"]
    inventory = item.get("inventoryItem") or {}
    if "sku" in inventory:
        variant.sku = inventory["sku"]
    if inventory.get("tracked") is not None:
        variant.tracked = inventory["tracked"]
    if item.get("taxable") is not None:
        variant.taxable = item["taxable"]
    if item.get("inventoryPolicy") is not None:
        variant.inventory_policy = item["inventoryPolicy"]
    for location_gid, _, quantity in _quantities(item):
        variant.stock[gid_number(location_gid, "Location") or 0] = quantity
    if item.get("metafields") is not None and (replace_metafields or item["metafields"]):
        variant.metafields = merge_metafields(
            store,
            variant.metafields,
            item["metafields"],
            "PRODUCTVARIANT",
            replace=replace_metafields,
        )
    if repr(variant) != before:
        variant.updated_at = now


def new_variant(store: Store, product_id: int, option_values: list[str], now: int) -> Variant:
    """A new variant with a new inventory item, stocked at the shop's first location with 0."""
    variant = Variant(store.next_id(), store.next_id(), product_id, option_values, "0.00", now, now)
    variant.stock = {store.locations[0].id: 0}
    return variant
