"""Shopify global IDs: gid://shopify/{Type}/{number}."""

import re

_GID = re.compile(r"^gid://shopify/([A-Za-z]+)/(\d+)(?:\?.*)?$")


def gid(type_name: str, number: int) -> str:
    return f"gid://shopify/{type_name}/{number}"


def parse_gid(value: str) -> tuple[str, int] | None:
    """(type, number) of a gid, or None when the string is not one."""
    match = _GID.match(value)
    if match is None:
        return None
    return match.group(1), int(match.group(2))


def gid_number(value: str, type_name: str) -> int | None:
    """The number of a gid of the given type, else None."""
    parsed = parse_gid(value)
    if parsed is None or parsed[0] != type_name:
        return None
    return parsed[1]
