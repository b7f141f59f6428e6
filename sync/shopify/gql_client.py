"""gql's Client, validating documents against the vendored schema of the channel's API version.

gql validates a request locally whenever its Client has a schema, before the transport sees it:
a document Shopify would refuse is never sent. Validation against Shopify's schema takes a few
milliseconds per document and does not depend on the variables, so a document is validated the
first time this client sends it, not on every product of a run.
"""

from gql import Client, GraphQLRequest
from gql.transport.async_transport import AsyncTransport
from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode, validate

from sync.shopify.errors import ShopifyInvalidDocument


class ShopifyGQLClient(Client):
    def __init__(self, schema: GraphQLSchema, transport: AsyncTransport, api_version: str) -> None:
        # execute_timeout=None: the transport's aiohttp timeout bounds each attempt, and a
        # timeout must surface as the aiohttp error the retry logic classifies.
        super().__init__(schema=schema, transport=transport, execute_timeout=None)
        self.api_version = api_version
        self._valid: dict[int, DocumentNode] = {}

    def validate(self, request: GraphQLRequest) -> None:
        document = request.document
        if self._valid.get(id(document)) is document:
            return
        assert self.schema is not None
        errors = validate(self.schema, document)
        if errors:
            problems = [error.message for error in errors]
            raise ShopifyInvalidDocument(_operation_name(document), self.api_version, problems)
        self._valid[id(document)] = document


def _operation_name(document: DocumentNode) -> str:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            return definition.name.value
    return ""
