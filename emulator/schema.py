"""The emulator's GraphQL schema: Shopify's SDL subset, loaded once."""

from functools import cache
from pathlib import Path

from graphql import GraphQLSchema, build_schema

SDL_PATH = Path(__file__).with_name("schema.graphql")


@cache
def load_schema() -> GraphQLSchema:
    """The bare schema (no resolvers bound); resolvers are bound by `emulator.resolvers`."""
    return build_schema(SDL_PATH.read_text())
