"""What several documents share: the parse step and the fragments of product reads."""

from gql import gql
from graphql import DocumentNode


def parse_document(text: str) -> DocumentNode:
    """Parses with gql once, at import: the documents are constants."""
    return gql(text).document


VARIANT_FIELDS = """
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
MEDIA_FIELDS = """
fragment SigmaMediaFields on Media {
  id
  alt
  status
  ... on MediaImage { image { url } }
}
"""

# What every product read selects besides its nested connections (paged and bulk alike).
PRODUCT_SCALARS = """
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

PRODUCT_FIELDS = (
    """
fragment SigmaProductFields on Product {"""
    + PRODUCT_SCALARS
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
    + VARIANT_FIELDS
    + MEDIA_FIELDS
)

NESTED_VARIABLES = "$variantsFirst: Int!, $metafieldsFirst: Int!, $mediaFirst: Int!"
