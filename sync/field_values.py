"""Value codecs shared by the mapping and the checksum: text, money, tags and metafield values.

Money is a decimal string with at least two decimals ("10" -> "10.00", "1.5" -> "1.50", "1.125"
stays), the form Shopify's Money scalar returns. Metafield values are the strings Shopify stores,
one spelling per value (JSON compact with sorted keys, decimals without trailing zeros).
"""

import contextlib
import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from sync.fields import JSON_METAFIELD_TYPES

_INTEGER_RE = re.compile(r"[+-]?[0-9]+")
# The spelling most amounts already have: no sign, no leading zero, at most two decimals.
_PLAIN_MONEY_RE = re.compile(r"(?:[1-9][0-9]*|0)(?:\.([0-9]{1,2}))?")
_CENT = Decimal("0.01")


class MappingError(ValueError):
    """An attribute value Shopify would certainly reject; the message names the attribute."""


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        number = Decimal(value.strip() if isinstance(value, str) else repr(value))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if number.is_finite() else None


def _decimal_text(number: Decimal) -> str:
    return format(number.normalize() if number else Decimal(0), "f")


def money(value: Any) -> str | None:
    """Canonical money string, or None when `value` is not a finite decimal amount."""
    if type(value) is str:
        # Padding the decimals is what the Decimal route does for these; it is most of the
        # mapping's time when done with Decimal.
        plain = _PLAIN_MONEY_RE.fullmatch(value)
        if plain is not None:
            cents = plain.group(1)
            if cents is None:
                return value + ".00"
            return value + "0" if len(cents) == 1 else value
    number = _decimal(value)
    if number is None:
        return None
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        number = number.normalize()
        exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent >= -2:
        number = number.quantize(_CENT)
    return format(number if number else abs(number), "f")


def tags_list(value: Any) -> list[str]:
    """Tags from a list or a comma-separated string: stripped, non-empty, first occurrence kept."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        items = [items]
    tags: dict[str, None] = {}
    for item in items:
        tag = (item if type(item) is str else as_text(item)).strip()
        if tag:
            tags[tag] = None
    return list(tags)


def _not_json(constant: str) -> Any:
    # Python's json reads NaN/Infinity, which JSON (and Shopify) does not allow.
    raise ValueError(f"{constant} is not JSON")


def encode_metafield(value: Any, metafield_type: str) -> str | None:
    """The value string Shopify stores for `value` (None: no value); raises MappingError."""
    if value is None or value == "":
        return None
    if metafield_type in JSON_METAFIELD_TYPES:
        if isinstance(value, str):
            # A string that is not JSON text is a JSON string value.
            with contextlib.suppress(ValueError):
                value = json.loads(value, parse_constant=_not_json)
        try:
            return json.dumps(
                value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            )
        except ValueError:
            raise MappingError(f"{value!r} is not JSON (NaN and Infinity are not)") from None
    if metafield_type == "number_integer":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, str) and _INTEGER_RE.fullmatch(value.strip()):
            return str(int(value))
        raise MappingError(f"{value!r} is not an integer")
    if metafield_type == "number_decimal":
        number = _decimal(value)
        if number is None:
            raise MappingError(f"{value!r} is not a decimal number")
        return _decimal_text(number)
    if metafield_type == "boolean":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower()
        raise MappingError(f"{value!r} is not a boolean")
    return as_text(value)


def decode_metafield(value: str, metafield_type: str) -> Any:
    """The attribute value for a stored metafield value; a value that does not parse as its
    type is returned unchanged rather than lost."""
    if metafield_type in JSON_METAFIELD_TYPES:
        try:
            return json.loads(value, parse_constant=_not_json)
        except ValueError:
            return value
    if metafield_type == "number_integer":
        return int(value) if _INTEGER_RE.fullmatch(value.strip()) else value
    if metafield_type == "number_decimal":
        number = _decimal(value)
        if number is None:
            return value
        text = _decimal_text(number)
        if number == number.to_integral_value():
            return int(number)
        # A float is the natural JSON number, but only when it keeps every digit.
        as_float = float(number)
        return as_float if repr(as_float) == text else text
    if metafield_type == "boolean":
        lowered = value.strip().lower()
        return lowered == "true" if lowered in ("true", "false") else value
    return value


def money_or_raw(value: Any, what: str, strict: bool) -> str:
    """The canonical amount, else (when not strict) the value as text."""
    amount = money(value)
    if amount is not None:
        return amount
    if strict:
        raise MappingError(f"{what}: {value!r} is not a decimal amount")
    return as_text(value)
