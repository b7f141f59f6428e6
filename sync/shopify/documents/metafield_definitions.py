"""The identity metafield's definition: created once per store, read back when TAKEN."""

from sync.shopify.documents.fragments import parse_document

METAFIELD_DEFINITION_CREATE_MUTATION = parse_document(
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
PRODUCT_METAFIELD_DEFINITION_QUERY = parse_document(
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
