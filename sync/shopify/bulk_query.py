"""The bulk export's query text: the one document, with an optional updated_at filter.

Bulk queries take no variables, so the filter is added to a copy of the document's AST as a
GraphQL string value (escaped when printed), never by formatting text.
"""

from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    FieldNode,
    NameNode,
    StringValueNode,
    Visitor,
    visit,
)

from sync.shopify import documents
from sync.shopify.bulk_control import renamed
from sync.shopify.product_reads import updated_since_query


class _AddQueryArgument(Visitor):
    def __init__(self, search: str) -> None:
        super().__init__()
        self._search = search

    def enter_field(self, node: FieldNode, *_: Any) -> FieldNode | None:
        if node.name.value != "products":
            return None
        argument = ArgumentNode(
            name=NameNode(value="query"), value=StringValueNode(value=self._search)
        )
        return FieldNode(
            alias=node.alias,
            name=node.name,
            arguments=(*(node.arguments or ()), argument),
            directives=node.directives,
            selection_set=node.selection_set,
        )


def bulk_query_text(updated_since: str | None = None, name: str = "SigmaBulkProducts") -> str:
    """The bulk export query, with the updated_at filter set through the AST (escaped on print)."""
    document: DocumentNode = documents.BULK_PRODUCTS_QUERY
    if updated_since:
        document = visit(document, _AddQueryArgument(updated_since_query(updated_since)))
    return renamed(document, name)
