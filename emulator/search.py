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


def compile_query(query: str | None) -> Predicate:
    """A predicate over products for a Shopify search query (None/empty matches everything)."""
    if not query or not query.strip():
        return lambda p: True
    groups: list[list[Predicate]] = [[]]
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
        term = _parse_term(token, negate_next)
        negate_next = False
        predicate = _term_predicate(term)
        groups[-1].append((lambda f: lambda p: not f(p))(predicate) if term.negated else predicate)

    def matches(product: Product) -> bool:
        return any(all(pred(product) for pred in group) for group in groups if group)

    return matches
