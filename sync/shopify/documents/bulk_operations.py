"""Bulk operations: the bulk product query, starting, polling and cancelling, staged uploads."""

from sync.shopify.documents.fragments import PRODUCT_SCALARS, VARIANT_FIELDS, parse_document

# The query a bulk operation runs. Bulk queries take no variables, so the optional updated_at
# filter is added to a copy of this AST (as a GraphQL string value, printed with escaping),
# never by formatting text. Children carry `id` so that JSONL lines can be told apart by type,
# and variants their `position`, since ungrouped output (2026-01+) keeps no order.
BULK_PRODUCTS_QUERY = parse_document(
    """
query SigmaBulkProducts {
  products(sortKey: UPDATED_AT) {
    edges {
      node {"""
    + PRODUCT_SCALARS
    + """        variants {
          edges { node { position ...SigmaVariantFields } }
        }
        metafields {
          edges { node { id namespace key type value } }
        }
        media {
          edges { node { id alt status ... on MediaImage { image { url } } } }
        }
      }
    }
  }
}
"""
    + VARIANT_FIELDS
)

BULK_OPERATION_RUN_QUERY_MUTATION = parse_document(
    """
mutation SigmaBulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""
)

_BULK_OPERATION_FIELDS = """
fragment SigmaBulkOperationFields on BulkOperation {
  id
  status
  type
  errorCode
  objectCount
  rootObjectCount
  url
  partialDataUrl
  query
}
"""

BULK_OPERATION_QUERY = parse_document(
    """
query SigmaBulkOperation($id: ID!) {
  node(id: $id) { ...SigmaBulkOperationFields }
}
"""
    + _BULK_OPERATION_FIELDS
)

# Before 2026-01 the only way to find an operation whose start reply was lost: the app's most
# recent one of a type (one of each type may run at a time there).
CURRENT_BULK_OPERATION_QUERY = parse_document(
    """
query SigmaCurrentBulkOperation($type: BulkOperationType!) {
  currentBulkOperation(type: $type) { ...SigmaBulkOperationFields }
}
"""
    + _BULK_OPERATION_FIELDS
)

# From 2026-01 (changelog "New queries for bulk operations", 2025-10-31): the app's operations,
# newest first, filtered with Shopify's search syntax (`operation_type:mutation`). Absent from
# the 2025-10 unstable schema file, so tests validate it against that schema plus the documented
# field.
BULK_OPERATIONS_QUERY_2026_01_ONLY = parse_document(
    """
query SigmaBulkOperations($query: String!) {
  bulkOperations(first: 25, query: $query) { nodes { ...SigmaBulkOperationFields } }
}
"""
    + _BULK_OPERATION_FIELDS
)

BULK_OPERATION_CANCEL_MUTATION = parse_document(
    """
mutation SigmaBulkOperationCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation { id status }
    userErrors { field message }
  }
}
"""
)

STAGED_UPLOADS_CREATE_MUTATION = parse_document(
    """
mutation SigmaStagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}
"""
)

BULK_OPERATION_RUN_MUTATION_MUTATION = parse_document(
    """
mutation SigmaBulkOperationRunMutation(
  $mutation: String!, $stagedUploadPath: String!, $clientIdentifier: String
) {
  bulkOperationRunMutation(
    mutation: $mutation, stagedUploadPath: $stagedUploadPath, clientIdentifier: $clientIdentifier
  ) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""
)

# The product as a line of a bulk import returns it. A line's JSON holds only its variables,
# so nested page sizes are fixed here (bulk operations are not cost-limited).
_BULK_PRODUCT = (
    """
    product {
"""
    + PRODUCT_SCALARS
    + """
      variants(first: 250) {
        nodes { ...SigmaVariantFields }
        pageInfo { hasNextPage endCursor }
      }
      metafields(first: 250) {
        nodes { namespace key type value }
        pageInfo { hasNextPage endCursor }
      }
      media(first: 250) {
        nodes { id alt status ... on MediaImage { image { url } } }
        pageInfo { hasNextPage endCursor }
      }
    }
"""
)

# The mutation each line of a bulk push runs.
BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY = parse_document(
    """
mutation SigmaBulkProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {"""
    + _BULK_PRODUCT
    + """    userErrors { field message code }
  }
}
"""
    + VARIANT_FIELDS
)

# A bulk push's in-place writes of `variant.*` fields, after its productSet lines (and its
# metafieldsSet lines): the product comes back as Shopify then holds it, so the mapping needs no
# read of its own.
BULK_PRODUCT_VARIANTS_UPDATE_MUTATION = parse_document(
    """
mutation SigmaBulkVariantsUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {"""
    + _BULK_PRODUCT
    + """    userErrors { field message code }
  }
}
"""
    + VARIANT_FIELDS
)
