"""Products read back by id: a webhook's targeted pull, and the reconciliation of products
deleted in Shopify. `nodes(ids:)` answers null for an id that is no product any more."""

from sync.shopify.documents.fragments import NESTED_VARIABLES, PRODUCT_FIELDS, parse_document

PRODUCTS_BY_IDS_QUERY = parse_document(
    "query SigmaProductsByIds($ids: [ID!]!, "
    + NESTED_VARIABLES
    + ") { nodes(ids: $ids) { ... on Product { ...SigmaProductFields } } }"
    + PRODUCT_FIELDS
)

# Only ids: about one cost point a product.
PRODUCT_IDS_EXIST_QUERY = parse_document(
    "query SigmaProductIdsExist($ids: [ID!]!) { nodes(ids: $ids) { ... on Product { id } } }"
)

# A channel's webhook subscriptions that still exist (Shopify deletes one whose deliveries kept
# failing): null for the others.
WEBHOOK_SUBSCRIPTIONS_EXIST_QUERY = parse_document(
    "query SigmaWebhookSubscriptionsExist($ids: [ID!]!) "
    "{ nodes(ids: $ids) { ... on WebhookSubscription { id } } }"
)
