"""What a GraphQL error becomes: shown to the caller, masked, logged in one line or with a trace.

Errors of the caller's making (syntax, validation, bad arguments, userErrors raised by the data
layer, an operation too large or too deep) are shown as they are, minus secret values, and
logged as one line. Anything else is a bug: the caller sees "Unexpected error." with the
request id, and the log has the traceback once, under the same id.
"""

import logging
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import GraphQLError, GraphQLSchema, specified_rules
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document
from strawberry.types import ExecutionContext

from db.errors import UserErrors
from graph.error_codes import INTERNAL_ERROR, OPERATION_TOO_LARGE
from graph.limits import parse_checked
from graph.redaction import redact, secret_values

log = logging.getLogger("sigma.api")

UNEXPECTED = "Unexpected error."
TOO_DEEP = "the operation nests too deeply to be processed"


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    expected = UserErrors | GraphQLError | RecursionError
    return original is not None and not isinstance(original, expected)


def request_id_of(context: Any) -> str:
    return str(getattr(context, "request_id", "") or "-")


def _secrets(execution_context: ExecutionContext) -> set[str]:
    cached = getattr(execution_context, "_sigma_secrets", None)
    if cached is None:
        cached = secret_values(execution_context.graphql_document, execution_context.variables)
        # ExecutionContext is a plain dataclass; the set is computed once per request.
        execution_context._sigma_secrets = cached  # type: ignore[attr-defined]
    return cached


def log_errors(errors: list[GraphQLError], execution_context: ExecutionContext) -> None:
    """Called by the schema once per request with the errors as raised, before masking."""
    request_id = request_id_of(execution_context.context)
    secrets = _secrets(execution_context)
    for error in errors:
        path = ".".join(str(p) for p in error.path or ()) or "-"
        if is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "request %s: unexpected error at %s: %s",
                request_id,
                path,
                redact(f"{type(original).__name__}: {original}", secrets),
                exc_info=(type(original), original, original.__traceback__),
            )
        else:
            log.info("request %s: %s (at %s)", request_id, redact(error.message, secrets), path)


@lru_cache(maxsize=256)
def _validate(schema: GraphQLSchema, query: str, rules: tuple[Any, ...]) -> Any:
    # Strawberry's ValidationCache keys on the document, whose hash walks the whole tree on
    # every request; the query text (hashed once by Python) names the same document here.
    return validate_document(schema, parse_checked(query), rules)


def prepare(schema: GraphQLSchema, query: str, rules: tuple[Any, ...]) -> None:
    """Parse and validate `query` into the caches; run in a worker thread for a new operation,
    so its cost (up to tens of ms) is not spent on the event loop, and /healthz and the polls
    go on being answered: the loop thread gets the GIL back every few milliseconds."""
    try:
        parse_checked(query)
    except GraphQLError:
        return
    _validate(schema, query, (*specified_rules, *rules))


class RequestPolicy(SchemaExtension):
    """Parsing within limits, cached validation with the limiters' rules, and error policy.

    One extension rather than four (ParserCache, AddValidationRules, ValidationCache,
    MaskErrors): each costs its hooks on every request, a tenth of a poll.
    """

    def __init__(self, rules: tuple[Any, ...]) -> None:
        self.rules = rules

    def on_parse(self) -> Iterator[None]:
        query = self.execution_context.query
        if query:
            self.execution_context.graphql_document = parse_checked(query)
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        if context.query and context.graphql_document is parse_checked(context.query):
            context.pre_execution_errors = _validate(
                context.schema._schema, context.query, context.validation_rules
            )
        yield

    def on_operation(self) -> Iterator[None]:
        self.execution_context.validation_rules = (
            self.execution_context.validation_rules + self.rules
        )
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        request_id = request_id_of(self.execution_context.context)
        secrets = _secrets(self.execution_context)
        result.errors = [self._public(error, request_id, secrets) for error in result.errors]

    @staticmethod
    def _public(error: GraphQLError, request_id: str, secrets: set[str]) -> GraphQLError:
        extensions = dict(error.extensions or {})
        if isinstance(error.original_error, RecursionError):
            message = TOO_DEEP
            extensions["code"] = OPERATION_TOO_LARGE
        elif is_unexpected(error):
            message = UNEXPECTED
            extensions.update(code=INTERNAL_ERROR, requestId=request_id)
        else:
            message = redact(error.message, secrets)
        return GraphQLError(
            message,
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions=extensions or None,
        )
