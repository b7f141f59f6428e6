"""Single values between the PIM and Shopify: money, metafield encoding and decoding, tags."""

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.field_values import decode_metafield, encode_metafield, money, tags_list


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10", "10.00"),
        ("10.5", "10.50"),
        ("10.000", "10.00"),
        ("10.1250", "10.125"),
        (" 7.1 ", "7.10"),
        (3, "3.00"),
        (2.5, "2.50"),
        ("-0", "0.00"),
        ("1e2", "100.00"),
        ("abc", None),
        ("NaN", None),
        (True, None),
        (None, None),
    ],
)
def test_money(raw: Any, expected: str | None) -> None:
    assert money(raw) == expected


@pytest.mark.parametrize(
    ("metafield_type", "stored", "value"),
    [
        ("number_integer", "42", 42),
        ("number_decimal", "2", 2),
        ("number_decimal", "2.5", 2.5),
        ("number_decimal", "0.12345678901234567890", "0.1234567890123456789"),
        ("boolean", "false", False),
        ("boolean", " TRUE", True),
        ("boolean", "yes", "yes"),
        ("json", '{"a":1}', {"a": 1}),
        ("json", "not json", "not json"),
        ("number_integer", "abc", "abc"),
        ("single_line_text_field", "  spaced ", "  spaced "),
    ],
)
def test_metafield_decoding(metafield_type: str, stored: str, value: Any) -> None:
    assert decode_metafield(stored, metafield_type) == value
    assert type(decode_metafield(stored, metafield_type)) is type(value)


def test_tags_from_a_list_or_a_comma_separated_string() -> None:
    assert tags_list(" b, a,,b ") == ["b", "a"]
    assert tags_list(["x ", "", "y", "x", 3]) == ["x", "y", "3"]
    assert tags_list([]) == []


def test_json_metafield_accepts_json_text() -> None:
    assert encode_metafield('{"b": 1, "a": 2}', "json") == '{"a":2,"b":1}'
    assert encode_metafield("plain", "json") == '"plain"'
    assert encode_metafield(None, "json") is None


@settings(max_examples=300, deadline=None)
@given(st.from_regex(r"[0-9]{1,7}(\.[0-9]{0,3})?", fullmatch=True))
def test_money_of_plain_amounts_is_the_amount_in_cents(text: str) -> None:
    number = Decimal(text)
    cents = number.quantize(Decimal("0.01"))
    expected = format(cents if cents == number else number.normalize(), "f")
    assert money(text) == expected
