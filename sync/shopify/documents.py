"""Every GraphQL document the client sends, parsed once with gql at import.

Values always travel as variables; nothing is ever formatted into a document's text. Each
constant is a DocumentNode; tests/shopify/test_documents.py validates every DocumentNode in this
module against Shopify's real Admin schemas, so a new document is covered automatically.
Documents whose name ends in `_UNSTABLE_ONLY` are validated against the 2026-01-era schema
only (they use arguments 2025-01 lacks); all others must also validate against 2025-01.
"""

from gql import gql
from graphql import DocumentNode


def _parse(text: str) -> DocumentNode:
    return gql(text).document


_VARIANT_FIELDS = """
fragment SigmaVariantFields on ProductVariant {
  id
  sku
  price
  compareAtPrice
  barcode
  selectedOptions { name value }
}
"""

# What every product read selects besides its nested connections (paged and bulk alike).
_PRODUCT_SCALARS = """
  id
  title
  handle
  descriptionHtml
  vendor
  productType
  status
  tags
  updatedAt
  seo { title description }
  options { name values }
"""

_PRODUCT_FIELDS = (
    """
fragment SigmaProductFields on Product {"""
    + _PRODUCT_SCALARS
    + """  variants(first: $variantsFirst) {
    nodes { ...SigmaVariantFields }
    pageInfo { hasNextPage endCursor }
  }
  metafields(first: $metafieldsFirst) {
    nodes { namespace key type value }
    pageInfo { hasNextPage endCursor }
  }
  media(first: $mediaFirst) {
    nodes { ... on MediaImage { image { url } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _VARIANT_FIELDS
)

_NESTED_VARIABLES = "$variantsFirst: Int!, $metafieldsFirst: Int!, $mediaFirst: Int!"

SHOP_QUERY = _parse(
    """
query SigmaShop {
  shop {
    name
    myshopifyDomain
    primaryDomain { url }
    plan { displayName }
    currencyCode
    ianaTimezone
  }
}
"""
)

PRODUCTS_PAGE_QUERY = _parse(
    """
query SigmaProductsPage(
  $first: Int!, $after: String, $query: String, """
    + _NESTED_VARIABLES
    + """
) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...SigmaProductFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _PRODUCT_FIELDS
)

PRODUCT_QUERY = _parse(
    "query SigmaProduct($id: ID!, "
    + _NESTED_VARIABLES
    + ") { product(id: $id) { ...SigmaProductFields } }"
    + _PRODUCT_FIELDS
)

PRODUCT_BY_IDENTIFIER_QUERY = _parse(
    "query SigmaProductByIdentifier($identifier: ProductIdentifierInput!, "
    + _NESTED_VARIABLES
    + ") { productByIdentifier(identifier: $identifier) { ...SigmaProductFields } }"
    + _PRODUCT_FIELDS
)

PRODUCT_VARIANTS_PAGE_QUERY = _parse(
    """
query SigmaProductVariantsPage($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    variants(first: $first, after: $after) {
      nodes { ...SigmaVariantFields }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
    + _VARIANT_FIELDS
)

PRODUCT_METAFIELDS_PAGE_QUERY = _parse(
    """
query SigmaProductMetafieldsPage($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    metafields(first: $first, after: $after) {
      nodes { namespace key type value }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
)

PRODUCT_MEDIA_PAGE_QUERY = _parse(
    """
query SigmaProductMediaPage($id: ID!, $first: Int!, $after: String) {
  product(id: $id) {
    media(first: $first, after: $after) {
      nodes { ... on MediaImage { image { url } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
)

_PRODUCT_SET_PAYLOAD = """
    product { ...SigmaProductFields }
    userErrors { field message code }
"""

# productSet(identifier:) is an upsert keyed by id, handle or a unique metafield (customId); it
# exists from 2025-04 (absent from the 2025-01 schema).
PRODUCT_SET_MUTATION_UNSTABLE_ONLY = _parse(
    "mutation SigmaProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!, "
    + _NESTED_VARIABLES
    + ") { productSet(identifier: $identifier, input: $input, synchronous: true) {"
    + _PRODUCT_SET_PAYLOAD
    + "} }"
    + _PRODUCT_FIELDS
)

# For API versions without `identifier`: create, or update when `input.id` is set.
PRODUCT_SET_BY_INPUT_MUTATION = _parse(
    "mutation SigmaProductSetByInput($input: ProductSetInput!, "
    + _NESTED_VARIABLES
    + ") { productSet(input: $input, synchronous: true) {"
    + _PRODUCT_SET_PAYLOAD
    + "} }"
    + _PRODUCT_FIELDS
)

PRODUCT_DELETE_MUTATION = _parse(
    """
mutation SigmaProductDelete($input: ProductDeleteInput!) {
  productDelete(input: $input, synchronous: true) {
    deletedProductId
    userErrors { field message }
  }
}
"""
)

METAFIELD_DEFINITION_CREATE_MUTATION = _parse(
    """
mutation SigmaMetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $definition) {
    createdDefinition { id }
    userErrors { field message code }
  }
}
"""
)

# The query a bulk operation runs. Bulk queries take no variables, so the optional updated_at
# filter is added to a copy of this AST (as a GraphQL string value, printed with escaping),
# never by formatting text. Children carry `id` so that JSONL lines can be told apart by type,
# and variants their `position`, since ungrouped output (2026-01+) keeps no order.
BULK_PRODUCTS_QUERY = _parse(
    """
query SigmaBulkProducts {
  products(sortKey: UPDATED_AT) {
    edges {
      node {"""
    + _PRODUCT_SCALARS
    + """        variants {
          edges { node { position ...SigmaVariantFields } }
        }
        metafields {
          edges { node { id namespace key type value } }
        }
        media {
          edges { node { id ... on MediaImage { image { url } } } }
        }
      }
    }
  }
}
"""
    + _VARIANT_FIELDS
)

BULK_OPERATION_RUN_QUERY_MUTATION = _parse(
    """
mutation SigmaBulkOperationRunQuery($query: String!) {
  bulkOperationRunQuery(query: $query) {
    bulkOperation { id status }
    userErrors { field message code }
  }
}
"""
)

BULK_OPERATION_QUERY = _parse(
    """
query SigmaBulkOperation($id: ID!) {
  node(id: $id) {
    ... on BulkOperation {
      id
      status
      errorCode
      objectCount
      rootObjectCount
      url
      partialDataUrl
    }
  }
}
"""
)

STAGED_UPLOADS_CREATE_MUTATION = _parse(
    """
mutation SigmaStagedUploadsCreate($input: [StagedUploadInput!]!) {
  stagedUploadsCreate(input: $input) {
    stagedTargets { url resourceUrl parameters { name value } }
    userErrors { field message }
  }
}
"""
)

BULK_OPERATION_RUN_MUTATION_MUTATION = _parse(
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

# The mutation each line of a bulk import runs; a line's JSON holds only identifier and input,
# so nested page sizes are fixed here (bulk operations are not cost-limited).
BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY = _parse(
    """
mutation SigmaBulkProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product {
      id
      title
      handle
      descriptionHtml
      vendor
      productType
      status
      tags
      updatedAt
      seo { title description }
      options { name values }
      variants(first: 250) {
        nodes { ...SigmaVariantFields }
        pageInfo { hasNextPage endCursor }
      }
      metafields(first: 250) {
        nodes { namespace key type value }
        pageInfo { hasNextPage endCursor }
      }
      media(first: 250) {
        nodes { ... on MediaImage { image { url } } }
        pageInfo { hasNextPage endCursor }
      }
    }
    userErrors { field message code }
  }
}
"""
    + _VARIANT_FIELDS
)
