"""Writes of one product at a time: productSet, its metafields and variants, deletion."""

from sync.shopify.documents.fragments import parse_document

# productSet's return selection is small and fixed: a selection sized to the input (250 variants,
# 250 files) can exceed Shopify's single-query cost limit (MAX_COST_EXCEEDED) for one large
# product. The engine reads the product afterwards with the paged PRODUCT_QUERY.
_PRODUCT_SET_PAYLOAD = """
    product { id }
    userErrors { field message code }
"""

# productSet(identifier:) is an upsert keyed by id, handle or a unique metafield (customId); it
# exists from 2025-04 (absent from the 2025-01 schema).
PRODUCT_SET_MUTATION_UNSTABLE_ONLY = parse_document(
    "mutation SigmaProductSet($identifier: ProductSetIdentifiers, $input: ProductSetInput!) "
    "{ productSet(identifier: $identifier, input: $input, synchronous: true) {"
    + _PRODUCT_SET_PAYLOAD
    + "} }"
)

# For API versions without `identifier`: create, or update when `input.id` is set.
PRODUCT_SET_BY_INPUT_MUTATION = parse_document(
    "mutation SigmaProductSetByInput($input: ProductSetInput!) "
    "{ productSet(input: $input, synchronous: true) {" + _PRODUCT_SET_PAYLOAD + "} }"
)

# Mapped metafields are written in place, at most 25 per call (Shopify's limit): productSet's
# `metafields` list would delete every metafield it leaves out (other apps', the merchant's).
METAFIELDS_SET_MUTATION = parse_document(
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
METAFIELDS_DELETE_MUTATION = parse_document(
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
PRODUCT_VARIANTS_BULK_UPDATE_MUTATION = parse_document(
    """
mutation SigmaProductVariantsBulkUpdate($productId: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $productId, variants: $variants) {
    productVariants { id }
    userErrors { field message code }
  }
}
"""
)

PRODUCT_DELETE_MUTATION = parse_document(
    """
mutation SigmaProductDelete($input: ProductDeleteInput!) {
  productDelete(input: $input, synchronous: true) {
    deletedProductId
    userErrors { field message }
  }
}
"""
)
