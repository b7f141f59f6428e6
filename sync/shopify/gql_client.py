"""gql's Client, validating documents against the vendored schema of the channel's API version.

gql validates a request locally whenever its Client has a schema, before the transport sees it:
a document Shopify would refuse is never sent. Validation does not depend on the variables, so a
document is validated the first time this client sends it, not on every product of a run.

The parsed schema is loaded only when a document needs it: the constant documents of
sync.shopify.documents were validated against each vendored schema ahead of time
(sync.shopify.validated_documents), and one of those is accepted on that record, so a process
that sends only those never parses Shopify's schema (a second of CPU and ~70 MB). Until then gql
sees an empty placeholder schema, which only makes it call `validate`; variables and results are
not converted through the schema (serialize_variables and parse_results stay off).
"""

from gql import Client, GraphQLRequest
from gql.transport.async_transport import AsyncTransport
from graphql import DocumentNode, GraphQLSchema, OperationDefinitionNode, validate

from sync.shopify.admin_schema import parsed_schema, schema_choice
from sync.shopify.errors import ShopifyInvalidDocument
from sync.shopify.validated_documents import known_valid

_PLACEHOLDER = GraphQLSchema()


class ShopifyGQLClient(Client):
    def __init__(self, transport: AsyncTransport, api_version: str) -> None:
        self.api_version = api_version
        self._choice = schema_choice(api_version)
        self._parsed: GraphQLSchema | None = None
        # execute_timeout=None: the transport's aiohttp timeout bounds each attempt, and a
        # timeout must surface as the aiohttp error the retry logic classifies.
        super().__init__(schema=_PLACEHOLDER, transport=transport, execute_timeout=None)
        self._valid: dict[int, DocumentNode] = {}

    @property
    def schema(self) -> GraphQLSchema:
        """The parsed schema once a document needed it; a placeholder before (gql validates
        whenever this is set)."""
        return self._parsed or _PLACEHOLDER

    @schema.setter
    def schema(self, value: GraphQLSchema | None) -> None:
        if value is not None and value is not _PLACEHOLDER:
            self._parsed = value

    def parsed_schema(self) -> GraphQLSchema:
        """The channel version's schema, parsed now if no document needed it yet."""
        if self._parsed is None:
            self._parsed = parsed_schema(self._choice)
        return self._parsed

    def validate(self, request: GraphQLRequest) -> None:
        document = request.document
        if self._valid.get(id(document)) is document:
            return
        if not known_valid(self._choice, document):
            errors = validate(self.parsed_schema(), document)
            if errors:
                problems = [error.message for error in errors]
                raise ShopifyInvalidDocument(_operation_name(document), self.api_version, problems)
        self._valid[id(document)] = document


def _operation_name(document: DocumentNode) -> str:
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            return definition.name.value
    return ""
