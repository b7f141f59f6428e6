"""Strict JSON request bodies, shared by /graphql and the REST routes.

A body is refused with a message saying why when it is not UTF-8 (RFC 8259 section 8.1), has a
duplicate object key (two parsers may disagree on which one wins), holds NaN/Infinity or a
number no float can hold, nests deeper than MAX_JSON_DEPTH, or carries a string no database
stores (graph.text_rules). Python's own decoder raised UnicodeDecodeError and RecursionError
on such bodies, which became HTTP 500s.
"""

import json
import math
from typing import Any

from graph.limits import MAX_JSON_DEPTH, MAX_JSON_ITEMS
from graph.text_rules import forbidden_character


class BadJson(ValueError):
    """The body cannot be accepted; the message says why and is safe to show."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise BadJson(f"the key {json.dumps(key)[:80]} appears twice in one object")
            seen.add(key)
    return result


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise BadJson(f"the number {text[:40]} is too large")
    return value


def _constant(name: str) -> Any:
    raise BadJson(f"{name} is not JSON")


def check_value(value: Any, where: str = "the body") -> None:
    """Depth and characters of an already-decoded value, without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            problem = forbidden_character(item)
            if problem:
                raise BadJson(f"a string in {where} contains {problem}")
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise BadJson(f"{where} nests deeper than {MAX_JSON_DEPTH} levels")
            if len(item) > MAX_JSON_ITEMS:
                raise BadJson(f"{where} has a list or object of more than {MAX_JSON_ITEMS} items")
            if isinstance(item, dict):
                for key, child in item.items():
                    stack.append((key, depth))
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)


def decode(body: bytes) -> Any:
    """The checked JSON value of `body`; raises BadJson."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadJson(f"the body is not valid UTF-8 (byte {error.start})") from None
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_float=_float, parse_constant=_constant
        )
    except BadJson:
        raise
    except RecursionError:
        raise BadJson(f"the body nests deeper than {MAX_JSON_DEPTH} levels") from None
    except ValueError as error:
        # JSONDecodeError, or int() refusing more than 4,300 digits.
        raise BadJson(f"the body is not valid JSON: {str(error)[:200]}") from None
    check_value(value)
    return value
