"""The Shopify Admin GraphQL client (the only package that imports gql and aiohttp)."""

from sync.shopify.bulk_results import BulkProductSetLine, BulkProductSetResult
from sync.shopify.client import ShopifyClient, identity_identifier
from sync.shopify.config import DEFAULT_API_VERSION, ShopifyConfig
from sync.shopify.errors import (
    MaxCostExceeded,
    ShopifyAuthError,
    ShopifyBulkOperationError,
    ShopifyError,
    ShopifyForbidden,
    ShopifyGraphQLError,
    ShopifyHTTPError,
    ShopifyLocked,
    ShopifyNotFound,
    ShopifyPaymentRequired,
    ShopifyRunError,
    ShopifyUnavailable,
)
from sync.shopify.records import ProductSetResult, ShopInfo, UserError, product_record
from sync.shopify.stats import ClientStats

__all__ = [
    "DEFAULT_API_VERSION",
    "BulkProductSetLine",
    "BulkProductSetResult",
    "ClientStats",
    "MaxCostExceeded",
    "ProductSetResult",
    "ShopInfo",
    "ShopifyAuthError",
    "ShopifyBulkOperationError",
    "ShopifyClient",
    "ShopifyConfig",
    "ShopifyError",
    "ShopifyForbidden",
    "ShopifyGraphQLError",
    "ShopifyHTTPError",
    "ShopifyLocked",
    "ShopifyNotFound",
    "ShopifyPaymentRequired",
    "ShopifyRunError",
    "ShopifyUnavailable",
    "UserError",
    "identity_identifier",
    "product_record",
]
