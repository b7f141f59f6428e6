"""Every GraphQL document the client sends, parsed once with gql at import.

Values always travel as variables; nothing is ever formatted into a document's text. Each
constant is a DocumentNode; tests/shopify/test_documents.py validates every DocumentNode in this
module against Shopify's real Admin schemas, so a new document is covered automatically.
Documents whose name ends in `_UNSTABLE_ONLY` are validated against the 2026-01-era schema
only (they use arguments 2025-01 lacks); all others must also validate against 2025-01.
Documents ending in `_2026_01_ONLY` use fields 2026-01 added; the client sends them only to
versions that have those fields.
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

# A media's id is what productSet's `files: [{id}]` keeps; `image` is null while the media is
# PROCESSING, so the id (not the CDN URL) is how a pushed image is recognised.
_MEDIA_FIELDS = """
fragment SigmaMediaFields on Media {
  id
  alt
  status
  ... on MediaImage { image { url } }
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
    nodes { ...SigmaMediaFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + _VARIANT_FIELDS
    + _MEDIA_FIELDS
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
      nodes { ...SigmaMediaFields }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""
    + _MEDIA_FIELDS
)

# productSet's return selection is small and fixed: a selection sized to the input (250 variants,
# 250 files) can exceed Shopify's single-query cost limit (MAX_COST_EXCEEDED) for one large
# product. The engine reads the product afterwards with the paged PRODUCT_QUERY.
_PRODUCT_SET_PAYLOAD = """
    product { id }
    userErrors { field message code }
"""

# productSet(identifier:) is an upsert keyed by id, handle or a unique metafield (customId); it
# exists from 2025-04 (absent from the 2025-01 schema).
PRODUCT_SET_MUTATION_UNSTABLE_ONLY = _parse(
    "mutation SigmaProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) "
    "{ productSet(identifier: $identifier, input: $input, synchronous: true) {"
    + _PRODUCT_SET_PAYLOAD
    + "} }"
)

# For API versions without `identifier`: create, or update when `input.id` is set.
PRODUCT_SET_BY_INPUT_MUTATION = _parse(
    "mutation SigmaProductSetByInput($input: ProductSetInput!) "
    "{ productSet(input: $input, synchronous: true) {" + _PRODUCT_SET_PAYLOAD + "} }"
)

# Mapped metafields are written in place, at most 25 per call (Shopify's limit): productSet's
# `metafields` list would delete every metafield it leaves out (other apps', the merchant's).
METAFIELDS_SET_MUTATION = _parse(
    """
mutation SigmaMetafieldsSet($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { namespace key }
    userErrors { field message code elementIndex }
  }
}
"""
)

# A mapped metafield whose value was cleared in the PIM; deleting one that does not exist is not
# an error (Shopify answers a null entry in deletedMetafields).
METAFIELDS_DELETE_MUTATION = _parse(
    """
mutation SigmaMetafieldsDelete($metafields: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $metafields) {
    deletedMetafields { ownerId namespace key }
    userErrors { field message }
  }
}
"""
)

# The `variant.*` fields of a single-variant product, written on the variant we know by id: a
# productSet `variants` list would delete the variants the merchant added.
PRODUCT_VARIANTS_BULK_UPDATE_MUTATION = _parse(
    """
mutation SigmaProductVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id }
    userErrors { field message code }
  }
}
"""
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

# The existing product definition of a namespace/key: read when metafieldDefinitionCreate says
# TAKEN, to check that it can key a customId upsert (its type, and unique values enabled).
PRODUCT_METAFIELD_DEFINITION_QUERY = _parse(
    """
query SigmaProductMetafieldDefinition($namespace: String!, $key: String!) {
  metafieldDefinitions(first: 1, ownerType: PRODUCT, namespace: $namespace, key: $key) {
    nodes {
      id
      namespace
      key
      type { name }
      capabilities { uniqueValues { enabled } }
    }
  }
}
"""
)

# Link candidates: products matching a search (`sku:"A" OR sku:"B"`), with only what pairing
# needs (handle, variant SKUs and barcodes, our identity metafield), so a page stays cheap.
PRODUCT_KEYS_SEARCH_QUERY = _parse(
    """
query SigmaProductKeysSearch(
  $first: Int!, $after: String, $query: String, $namespace: String!, $key: String!,
  $variantsFirst: Int!
) {
  products(first: $first, after: $after, query: $query) {
    nodes {
      id
      handle
      metafield(namespace: $namespace, key: $key) { namespace key type value }
      variants(first: $variantsFirst) {
        nodes { id sku barcode }
        pageInfo { hasNextPage endCursor }
      }
    }
    pageInfo { hasNextPage endCursor }
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
          edges { node { id alt status ... on MediaImage { image { url } } } }
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

BULK_OPERATION_QUERY = _parse(
    """
query SigmaBulkOperation($id: ID!) {
  node(id: $id) { ...SigmaBulkOperationFields }
}
"""
    + _BULK_OPERATION_FIELDS
)

# Before 2026-01 the only way to find an operation whose start reply was lost: the app's most
# recent one of a type (one of each type may run at a time there).
CURRENT_BULK_OPERATION_QUERY = _parse(
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
BULK_OPERATIONS_QUERY_2026_01_ONLY = _parse(
    """
query SigmaBulkOperations($query: String!) {
  bulkOperations(first: 25, query: $query) { nodes { ...SigmaBulkOperationFields } }
}
"""
    + _BULK_OPERATION_FIELDS
)

BULK_OPERATION_CANCEL_MUTATION = _parse(
    """
mutation SigmaBulkOperationCancel($id: ID!) {
  bulkOperationCancel(id: $id) {
    bulkOperation { id status }
    userErrors { field message }
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
        nodes { id alt status ... on MediaImage { image { url } } }
        pageInfo { hasNextPage endCursor }
      }
    }
    userErrors { field message code }
  }
}
"""
    + _VARIANT_FIELDS
)
