"""The Strawberry schema object (`graph.schema:schema`) with its protective limits."""

from datetime import datetime
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext

from db.clock import iso, parse_iso
from graph.error_policy import RequestPolicy, log_errors
from graph.mutations import Mutation
from graph.queries import Query
from graph.schema_docs import describe_schema

# Our deepest legitimate query is 5 levels; introspection is not counted by the limiter.
MAX_DEPTH = 8
MAX_ALIASES = 30


class SigmaSchema(Schema):
    # The limiters' validation rules (graph.error_policy.prepare validates with them).
    request_rules: tuple[Any, ...] = ()

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Strawberry's default logs every error with a traceback (20 MB for 12,000 requests).
        if execution_context is not None:
            log_errors(errors, execution_context)


DateTime = strawberry.scalar(
    name="DateTime",
    description="A UTC timestamp in ISO 8601 with milliseconds, e.g. 2026-11-26T23:10:11.123Z",
    serialize=iso,
    parse_value=lambda value: parse_iso(str(value)),
)


def make_schema(max_depth: int = MAX_DEPTH, max_aliases: int = MAX_ALIASES) -> Schema:
    # The limiters' rule classes are made once: a class per request would defeat the
    # validation cache, which is keyed by the rules.
    rules = (
        *QueryDepthLimiter(max_depth=max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=max_aliases).validation_rules,
    )
    built = SigmaSchema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True, scalar_map={datetime: DateTime}),
        extensions=[lambda: RequestPolicy(rules)],
    )
    describe_schema(built._schema)
    built.request_rules = rules
    return built


schema = make_schema()
