"""Every GraphQL document the client sends, parsed once with gql at import.

This package's namespace is the one list of them: each submodule groups documents by what they
do, and everything a submodule defines is re-exported here (tests/shopify/test_documents.py checks
that none is left out, and validates every DocumentNode here against Shopify's real Admin
schemas, so a new document is covered automatically).

Values always travel as variables; nothing is ever formatted into a document's text.
Documents whose name ends in `_UNSTABLE_ONLY` are validated against the 2026-01-era schema
only (they use arguments 2025-01 lacks); all others must also validate against 2025-01.
Documents ending in `_2026_01_ONLY` use fields 2026-01 added; the client sends them only to
versions that have those fields.
"""

from sync.shopify.documents.bulk_operations import (
    BULK_OPERATION_CANCEL_MUTATION,
    BULK_OPERATION_QUERY,
    BULK_OPERATION_RUN_MUTATION_MUTATION,
    BULK_OPERATION_RUN_QUERY_MUTATION,
    BULK_OPERATIONS_QUERY_2026_01_ONLY,
    BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY,
    BULK_PRODUCT_VARIANTS_UPDATE_MUTATION,
    BULK_PRODUCTS_QUERY,
    CURRENT_BULK_OPERATION_QUERY,
    STAGED_UPLOADS_CREATE_MUTATION,
)
from sync.shopify.documents.metafield_definitions import (
    METAFIELD_DEFINITION_CREATE_MUTATION,
    PRODUCT_METAFIELD_DEFINITION_QUERY,
)
from sync.shopify.documents.product_reads import (
    PRODUCT_BY_IDENTIFIER_QUERY,
    PRODUCT_KEYS_SEARCH_QUERY,
    PRODUCT_MEDIA_PAGE_QUERY,
    PRODUCT_METAFIELDS_PAGE_QUERY,
    PRODUCT_QUERY,
    PRODUCT_VARIANTS_PAGE_QUERY,
    PRODUCTS_PAGE_QUERY,
    SHOP_QUERY,
)
from sync.shopify.documents.product_writes import (
    METAFIELDS_DELETE_MUTATION,
    METAFIELDS_SET_MUTATION,
    PRODUCT_DELETE_MUTATION,
    PRODUCT_SET_BY_INPUT_MUTATION,
    PRODUCT_SET_MUTATION_UNSTABLE_ONLY,
    PRODUCT_VARIANTS_BULK_UPDATE_MUTATION,
)
from sync.shopify.documents.remote_reads import (
    PRODUCT_IDS_EXIST_QUERY,
    PRODUCTS_BY_IDS_QUERY,
    WEBHOOK_SUBSCRIPTIONS_EXIST_QUERY,
)
from sync.shopify.documents.webhook_subscriptions import (
    WEBHOOK_SUBSCRIPTION_CREATE_MUTATION,
    WEBHOOK_SUBSCRIPTION_DELETE_MUTATION,
)

__all__ = [
    "BULK_OPERATIONS_QUERY_2026_01_ONLY",
    "BULK_OPERATION_CANCEL_MUTATION",
    "BULK_OPERATION_QUERY",
    "BULK_OPERATION_RUN_MUTATION_MUTATION",
    "BULK_OPERATION_RUN_QUERY_MUTATION",
    "BULK_PRODUCTS_QUERY",
    "BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY",
    "BULK_PRODUCT_VARIANTS_UPDATE_MUTATION",
    "CURRENT_BULK_OPERATION_QUERY",
    "METAFIELDS_DELETE_MUTATION",
    "METAFIELDS_SET_MUTATION",
    "METAFIELD_DEFINITION_CREATE_MUTATION",
    "PRODUCTS_BY_IDS_QUERY",
    "PRODUCTS_PAGE_QUERY",
    "PRODUCT_BY_IDENTIFIER_QUERY",
    "PRODUCT_DELETE_MUTATION",
    "PRODUCT_IDS_EXIST_QUERY",
    "PRODUCT_KEYS_SEARCH_QUERY",
    "PRODUCT_MEDIA_PAGE_QUERY",
    "PRODUCT_METAFIELDS_PAGE_QUERY",
    "PRODUCT_METAFIELD_DEFINITION_QUERY",
    "PRODUCT_QUERY",
    "PRODUCT_SET_BY_INPUT_MUTATION",
    "PRODUCT_SET_MUTATION_UNSTABLE_ONLY",
    "PRODUCT_VARIANTS_BULK_UPDATE_MUTATION",
    "PRODUCT_VARIANTS_PAGE_QUERY",
    "SHOP_QUERY",
    "STAGED_UPLOADS_CREATE_MUTATION",
    "WEBHOOK_SUBSCRIPTIONS_EXIST_QUERY",
    "WEBHOOK_SUBSCRIPTION_CREATE_MUTATION",
    "WEBHOOK_SUBSCRIPTION_DELETE_MUTATION",
]
