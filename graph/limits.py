"""Size limits on GraphQL operations, enforced while parsing so no request can stall the others.

graphql-core's parser stops at `max_lexical_tokens`, so a 950 KB operation costs what its
first few thousand tokens cost. What the parser cannot bound is checked on the small document
that results, before validation: validation is quadratic in fields of one name
(OverlappingFieldsCanBeMerged) and recursive through fragment spreads (a 300-fragment chain
overflowed Python's stack), so both are capped here.
"""

from functools import lru_cache

from graphql import DocumentNode, GraphQLError, parse
from graphql.language import (
    FieldNode,
    FragmentDefinitionNode,
    Node,
    StringValueNode,
)

from graph.error_codes import OPERATION_TOO_LARGE
from graph.text_rules import forbidden_character

# GraphiQL's full introspection query has 183 tokens, 72 fields and 3 fragments. Parsing costs
# about 20 us per token and validating 150 same-named fields about 25 ms on a shared core.
MAX_TOKENS = 1_500
MAX_COMMENTS = 1_000
MAX_SOURCE_CHARS = 100_000
MAX_FIELDS = 150
MAX_FRAGMENTS = 30
# AST nesting (not query depth: a field is several nodes deep); with at most MAX_FRAGMENTS
# fragments, spread chains stay far below Python's recursion limit in later validation.
MAX_NESTING = 150
MAX_JSON_DEPTH = 32
# Lists become SQL IN (...) parameters: PostgreSQL and SQLite both stop near 32,767.
MAX_JSON_ITEMS = 10_000


def _too_large(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": OPERATION_TOO_LARGE})


def _walk(document: DocumentNode) -> None:
    """Counts fields and fragments and checks string literals without recursion."""
    fields = 0
    fragments = 0
    stack: list[tuple[Node, int]] = [(d, 0) for d in document.definitions]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, FieldNode):
            fields += 1
            if fields > MAX_FIELDS:
                raise _too_large(f"the operation selects more than {MAX_FIELDS} fields")
        elif isinstance(node, FragmentDefinitionNode):
            fragments += 1
            if fragments > MAX_FRAGMENTS:
                raise _too_large(f"the operation defines more than {MAX_FRAGMENTS} fragments")
        elif isinstance(node, StringValueNode):
            problem = forbidden_character(node.value)
            if problem:
                raise GraphQLError(
                    f"a string value contains {problem}", node, extensions={"code": "BAD_INPUT"}
                )
        if depth > MAX_NESTING:
            raise _too_large(f"the operation nests deeper than {MAX_NESTING} levels")
        for key in node.keys:
            child = getattr(node, key, None)
            if isinstance(child, Node):
                stack.append((child, depth + 1))
            elif isinstance(child, tuple | list):
                stack.extend((c, depth + 1) for c in child if isinstance(c, Node))


def parse_checked(query: str) -> DocumentNode:
    """Parse within the limits; cached by text (refusals too), as Strawberry's ParserCache."""
    parsed = _parse(query)
    if isinstance(parsed, GraphQLError):
        raise parsed
    return parsed


@lru_cache(maxsize=256)
def _parse(query: str) -> DocumentNode | GraphQLError:
    try:
        return _parse_uncached(query)
    except GraphQLError as error:
        return error


def _parse_uncached(query: str) -> DocumentNode:
    if len(query) > MAX_SOURCE_CHARS:
        raise _too_large(f"the operation is longer than {MAX_SOURCE_CHARS} characters")
    try:
        document = parse(
            query,
            max_lexical_tokens=MAX_TOKENS,
            max_comments=MAX_COMMENTS,
            max_source_length=MAX_SOURCE_CHARS,
        )
    except GraphQLError as error:
        if "tokens" in error.message or "comments" in error.message:
            raise _too_large(
                f"the operation has more than {MAX_TOKENS} tokens or {MAX_COMMENTS} comments"
            ) from None
        raise
    _walk(document)
    return document
