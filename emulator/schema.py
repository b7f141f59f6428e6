"""The emulator's GraphQL schemas: Shopify's SDL subset, per API version era, loaded once."""

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema, extend_schema, parse

SDL_PATH = Path(__file__).with_name("schema.graphql")
SDL_2026_01_PATH = Path(__file__).with_name("schema_2026_01.graphql")


def build_sdl_schema(modern: bool) -> GraphQLSchema:
    """The bare schema of an era (no resolvers): before 2026-01, or 2026-01 and later."""
    sdl = SDL_PATH.read_text()
    if not modern:
        return build_schema(sdl)
    # "Bulk operations group objects default changed to false" (changelog 2025-10-29, effective
    # 2026-01): `bulkOperationRunQuery(groupObjects: Boolean! = false)` from 2026-01 on.
    old, new = (f"bulkOperationRunQuery(groupObjects: Boolean! = {v}" for v in ("true", "false"))
    if old not in sdl:
        raise AssertionError("schema.graphql no longer declares bulkOperationRunQuery as expected")
    schema = build_schema(sdl.replace(old, new))
    return extend_schema(schema, parse(SDL_2026_01_PATH.read_text()))


@cache
def load_schema(modern: bool = False) -> GraphQLSchema:
    """The bare schema (no resolvers bound); resolvers are bound by `emulator.resolvers`."""
    return build_sdl_schema(modern)
