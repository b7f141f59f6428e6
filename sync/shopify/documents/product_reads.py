"""Reads of the shop and of products: paged product reads and the link-candidate search."""

from sync.shopify.documents.fragments import (
    MEDIA_FIELDS,
    NESTED_VARIABLES,
    PRODUCT_FIELDS,
    VARIANT_FIELDS,
    parse_document,
)

SHOP_QUERY = parse_document(
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

PRODUCTS_PAGE_QUERY = parse_document(
    """
query SigmaProductsPage(
  $first: Int!, $after: String, $query: String, """
    + NESTED_VARIABLES
    + """
) {
  products(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    nodes { ...SigmaProductFields }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + PRODUCT_FIELDS
)

PRODUCT_QUERY = parse_document(
    "query SigmaProduct($id: ID!, "
    + NESTED_VARIABLES
    + ") { product(id: $id) { ...SigmaProductFields } }"
    + PRODUCT_FIELDS
)

PRODUCT_BY_IDENTIFIER_QUERY = parse_document(
    "query SigmaProductByIdentifier($identifier: ProductIdentifierInput!, "
    + NESTED_VARIABLES
    + ") { productByIdentifier(identifier: $identifier) { ...SigmaProductFields } }"
    + PRODUCT_FIELDS
)

PRODUCT_VARIANTS_PAGE_QUERY = parse_document(
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
    + VARIANT_FIELDS
)

PRODUCT_METAFIELDS_PAGE_QUERY = parse_document(
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

PRODUCT_MEDIA_PAGE_QUERY = parse_document(
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
    + MEDIA_FIELDS
)

# Link candidates: products matching a search (`sku:"A" OR sku:"B"`), with only what pairing
# needs (handle, variant SKUs and barcodes, our identity metafield), so a page stays cheap.
PRODUCT_KEYS_SEARCH_QUERY = parse_document(
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
