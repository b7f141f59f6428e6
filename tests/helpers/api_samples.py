"""GraphQL documents and sample inputs for the API tests."""

from typing import Any

SCHEMA = """mutation($input: SchemaCreateInput!) { schemaCreate(input: $input) {
  schema { id name attributes { key type required } } userErrors { field message code } } }"""


CATALOG = """mutation($name: String!) { catalogCreate(input: {name: $name}) {
  catalog { id name } userErrors { field message code } } }"""


ENTITY = """mutation($input: EntityCreateInput!) { entityCreate(input: $input) {
  entity { id schemaId catalogIds attributes } userErrors { field message code } } }"""


CHANNEL = """mutation($input: ChannelInput!) { channelCreate(input: $input) {
  channel { id name shopDomain hasAccessToken apiVersion fieldMappings { attribute field direction }
            effectiveFieldMappings { attribute field } conflictPolicy }
  userErrors { field message code } } }"""


PRODUCT_ATTRIBUTES = [
    {"key": "name", "type": "TEXT", "required": True},
    {"key": "description", "type": "RICHTEXT"},
    {"key": "price", "type": "MONEY"},
    {"key": "sku", "type": "TEXT"},
    {"key": "tags", "type": "LIST"},
    {"key": "weight", "type": "NUMBER"},
]


async def make_schema(gql: Any, name: str = "Product") -> str:
    body = await gql(SCHEMA, {"input": {"name": name, "attributes": PRODUCT_ATTRIBUTES}})
    payload = body["data"]["schemaCreate"]
    assert payload["userErrors"] == []
    return str(payload["schema"]["id"])
