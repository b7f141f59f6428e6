"""Shopify's search syntax for `products(query:)`: the subset the sync engine relies on.

Supported: `field:value`, comparators `field:>v`, `>=`, `<`, `<=`, quoted values, `-field:v` /
`NOT field:v` negation, implicit or explicit `AND`, `OR` between groups, and bare words (matched
against the title). Fields: updated_at, created_at, id, tag, tag_not, sku, title, handle, vendor,
product_type, status, barcode.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from emulator.clock import parse_iso
from emulator.models import Product

_TOKEN = re.compile(r"""(-?[A-Za-z_]+:(?:[<>]=?)?(?:'[^']*'|"[^"]*"|\S+))|('[^']*'|"[^"]*"|\S+)""")

Predicate = Callable[[Product], bool]


@dataclass(frozen=True)
class Term:
    field: str
    op: str
    value: str
    negated: bool


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _compare(left: int | str, op: str, right: int | str) -> bool:
    if op == ">":
        return left > right  # type: ignore[operator]
    if op == ">=":
        return left >= right  # type: ignore[operator]
    if op == "<":
        return left < right  # type: ignore[operator]
    if op == "<=":
        return left <= right  # type: ignore[operator]
    return left == right


def _term_predicate(term: Term) -> Predicate:
    value, op = term.value, term.op
    lowered = value.lower()
    if term.field in ("updated_at", "created_at"):
        moment = parse_iso(value)
        attr = term.field

        def by_time(p: Product) -> bool:
            return _compare(getattr(p, attr), op, moment)

        return by_time
    if term.field == "id":
        number = int(value.rsplit("/", 1)[-1])
        return lambda p: _compare(p.id, op, number)
    if term.field == "tag":
        return lambda p: any(t.lower() == lowered for t in p.tags)
    if term.field == "tag_not":
        return lambda p: all(t.lower() != lowered for t in p.tags)
    if term.field == "sku":
        return lambda p: any((v.sku or "").lower() == lowered for v in p.variants)
    if term.field == "barcode":
        return lambda p: any((v.barcode or "").lower() == lowered for v in p.variants)
    if term.field in ("title", "handle", "vendor", "product_type", "status"):
        attr = term.field
        if lowered.endswith("*"):
            prefix = lowered[:-1]
            return lambda p: str(getattr(p, attr)).lower().startswith(prefix)
        if attr == "title":
            return lambda p: lowered in p.title.lower()
        return lambda p: str(getattr(p, attr)).lower() == lowered
    if term.field == "":
        return lambda p: lowered in p.title.lower()
    # Shopify ignores unknown search fields rather than failing the query.
    return lambda p: True


def _parse_term(token: str, negated: bool) -> Term:
    if token.startswith("-"):
        negated, token = True, token[1:]
    name, sep, rest = token.partition(":")
    if not sep:
        return Term("", "=", _unquote(token), negated)
    op = ""
    for candidate in (">=", "<=", ">", "<"):
        if rest.startswith(candidate):
            op, rest = candidate, rest[len(candidate) :]
            break
    return Term(name.lower(), op or "=", _unquote(rest), negated)


def _groups(query: str) -> list[list[Term]]:
    """The query's OR-separated groups of AND-ed terms."""
    groups: list[list[Term]] = [[]]
    negate_next = False
    for match in _TOKEN.finditer(query):
        token = match.group(0)
        if token == "AND":
            continue
        if token == "OR":
            groups.append([])
            continue
        if token == "NOT":
            negate_next = True
            continue
        groups[-1].append(_parse_term(token, negate_next))
        negate_next = False
    return [group for group in groups if group]


def _negated(predicate: Predicate) -> Predicate:
    return lambda p: not predicate(p)


def compile_query(query: str | None) -> Predicate:
    """A predicate over products for a Shopify search query (None/empty matches everything)."""
    if not query or not query.strip():
        return lambda p: True
    groups = [
        [_negated(_term_predicate(t)) if t.negated else _term_predicate(t) for t in group]
        for group in _groups(query)
    ]

    def matches(product: Product) -> bool:
        return any(all(pred(product) for pred in group) for group in groups)

    return matches


def updated_bounds(query: str | None) -> tuple[int | None, int | None] | None:
    """Inclusive (lowest, highest) `updated_at` every match of `query` lies within, or None when
    the query does not bound it (no such term, or OR groups). Timestamps are whole seconds, so
    `>t` is `>=t+1`. A narrowing only: the matches are still checked with `compile_query`."""
    if not query or not query.strip():
        return None
    groups = _groups(query)
    if len(groups) != 1:
        return None
    lowest: int | None = None
    highest: int | None = None
    for term in groups[0]:
        if term.field != "updated_at" or term.negated:
            continue
        moment = parse_iso(term.value)
        if term.op in (">", ">=", "="):
            low = moment + 1 if term.op == ">" else moment
            lowest = low if lowest is None else max(lowest, low)
        if term.op in ("<", "<=", "="):
            high = moment - 1 if term.op == "<" else moment
            highest = high if highest is None else min(highest, high)
    if lowest is None and highest is None:
        return None
    return lowest, highest
