"""Value rules Shopify applies to inputs: Money decimals and metafield values by type."""

import json
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MONEY_MAX = Decimal("1000000000000000000")


def money(value: object) -> str:
    """Money as Shopify returns it ("29.99", "30.00"); ValueError if not a valid amount."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError("is not a decimal amount")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation as exc:
        raise ValueError("is not a decimal amount") from exc
    if not amount.is_finite():
        raise ValueError("is not a decimal amount")
    if amount < 0:
        raise ValueError("must be greater than or equal to 0")
    if amount >= MONEY_MAX:
        raise ValueError("is too large")
    return str(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def metafield_value_problem(type_name: str, value: str) -> str | None:
    """Why `value` is not valid for metafield type `type_name` (None when it is)."""
    if type_name == "number_integer":
        try:
            int(value)
        except ValueError:
            return "Value must be an integer."
    elif type_name == "number_decimal":
        try:
            Decimal(value)
        except InvalidOperation:
            return "Value must be a decimal."
    elif type_name == "boolean":
        if value not in ("true", "false"):
            return "Value must be true or false."
    elif type_name in ("json", "rating") or type_name.startswith("list."):
        try:
            json.loads(value)
        except ValueError:
            return "Value is invalid JSON."
    elif type_name == "single_line_text_field" and "\n" in value:
        return "Value must be a single line text string."
    return None


KNOWN_METAFIELD_TYPES = frozenset(
    {
        "boolean",
        "color",
        "date",
        "date_time",
        "json",
        "money",
        "multi_line_text_field",
        "number_decimal",
        "number_integer",
        "rich_text_field",
        "single_line_text_field",
        "url",
        "list.single_line_text_field",
        "list.number_integer",
        "list.url",
        "id",
        "rating",
    }
)
