"""Static estimates of query cost, used before Shopify has told us a query's real cost.

Shopify's documented rules: objects cost 1, scalars and enums 0, a connection costs about
2 + first * (cost of one node). These estimates err high on purpose: they only size pages and
reserve limiter points, and Shopify's `requestedQueryCost` replaces them once seen.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SINGLE_QUERY_MAX_COST = 1000
# Headroom under Shopify's single-query limit for schema-version differences in cost rules.
PAGE_COST_BUDGET = 900
MAX_PAGE = 250
VARIANT_NODE_COST = 2  # the variant + its selectedOptions objects
METAFIELD_NODE_COST = 1
MEDIA_NODE_COST = 2  # the MediaImage + its image
MUTATION_COST = 10


@dataclass(frozen=True)
class NestedSizes:
    variants: int = 10
    metafields: int = 10
    media: int = 10

    def variables(self) -> dict[str, int]:
        return {
            "variantsFirst": self.variants,
            "metafieldsFirst": self.metafields,
            "mediaFirst": self.media,
        }


LIST_NESTED = NestedSizes()
SINGLE_NESTED = NestedSizes(variants=100, metafields=50, media=50)


def connection_cost(first: int, node_cost: float) -> float:
    return 2 + first * node_cost


def product_node_cost(nested: NestedSizes) -> float:
    return (
        3  # the product, its seo object and its options
        + connection_cost(nested.variants, VARIANT_NODE_COST)
        + connection_cost(nested.metafields, METAFIELD_NODE_COST)
        + connection_cost(nested.media, MEDIA_NODE_COST)
    )


def products_page_cost(first: int, nested: NestedSizes) -> float:
    return connection_cost(first, product_node_cost(nested))


def default_page_size(nested: NestedSizes, budget: float = PAGE_COST_BUDGET) -> int:
    """The largest `products(first:)` whose estimated cost stays within `budget`."""
    size = int((budget - 2) // product_node_cost(nested))
    return max(1, min(MAX_PAGE, size))


def product_set_nested(input: Mapping[str, Any]) -> NestedSizes:
    """Nested sizes for productSet's returned product: the lists productSet just replaced, with
    room for metafields set by others (longer lists are fetched by follow-up queries)."""

    def count(key: str) -> int:
        value = input.get(key)
        return len(value) if isinstance(value, list) else 0

    return NestedSizes(
        variants=min(MAX_PAGE, max(1, count("variants"))),
        metafields=min(MAX_PAGE, count("metafields") + 10),
        media=min(MAX_PAGE, max(1, count("files"))),
    )


def product_set_cost(input: Mapping[str, Any], nested: NestedSizes) -> float:
    """Shopify's productSet cost rule (2025-10 changelog) plus the returned product."""
    variants = input.get("variants")
    metafields = input.get("metafields")
    files = input.get("files")
    n_variants = len(variants) if isinstance(variants, list) else 0
    n_metafields = len(metafields) if isinstance(metafields, list) else 0
    n_files = len(files) if isinstance(files, list) else 0
    n_variant_metafields = 0
    n_variant_files = 0
    for variant in variants if isinstance(variants, list) else []:
        if isinstance(variant, Mapping):
            n_variant_metafields += len(variant.get("metafields") or [])
            n_variant_files += 1 if variant.get("file") else 0
    dynamic = (
        MUTATION_COST
        + n_variants * 0.2
        + n_variant_files * 0.6
        + n_variant_metafields * 0.4
        + n_metafields * 0.4
        + n_files * 1.9
    )
    return dynamic + product_node_cost(nested)
