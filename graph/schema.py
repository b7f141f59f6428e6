"""The Strawberry schema object (`graph.schema:schema`) with its protective limits."""

from datetime import datetime

import strawberry
from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import MaskErrors, MaxAliasesLimiter, QueryDepthLimiter
from strawberry.schema.config import StrawberryConfig

from db.clock import iso, parse_iso
from db.errors import UserErrors
from graph.mutations import Mutation
from graph.queries import Query

# Our deepest legitimate query is 5 levels; introspection is not counted by the limiter.
MAX_DEPTH = 8
MAX_ALIASES = 30


def _mask(error: GraphQLError) -> bool:
    # Bad arguments (page size, cursor) are the caller's to see; anything unexpected is masked.
    return error.original_error is not None and not isinstance(error.original_error, UserErrors)


DateTime = strawberry.scalar(
    name="DateTime",
    description="A UTC timestamp in ISO 8601 with milliseconds, e.g. 2026-11-26T23:10:11.123Z",
    serialize=iso,
    parse_value=lambda value: parse_iso(str(value)),
)


def make_schema(max_depth: int = MAX_DEPTH, max_aliases: int = MAX_ALIASES) -> Schema:
    return Schema(
        query=Query,
        mutation=Mutation,
        config=StrawberryConfig(auto_camel_case=True, scalar_map={datetime: DateTime}),
        extensions=[
            lambda: QueryDepthLimiter(max_depth=max_depth),
            lambda: MaxAliasesLimiter(max_alias_count=max_aliases),
            lambda: MaskErrors(should_mask_error=_mask, error_message="Unexpected error."),
        ],
    )


schema = make_schema()
