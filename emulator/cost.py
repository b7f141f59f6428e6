"""Calculated query cost, per Shopify's published rules
(https://shopify.dev/docs/apps/build/apis/graphql-admin/rate-limits).

- Scalars and enums cost 0. An object fetched at the root (`shop`, `product(id:)`) costs 1;
  objects nested inside another object (`shop { plan }`, `variant { inventoryItem }`, `seo`)
  are part of their parent's fetch and cost 0. That is how Shopify prices the connection-test
  query `shop { name primaryDomain { url } plan { displayName } ... }` (1 point). An interface
  or union costs its most expensive possible selection.
- A connection costs 2 plus, per item, the cost of one node (1 for the object plus its own
  selections): `products(first: 50) { nodes { id } }` = 2 + 50 x 1 = 52, Shopify's documented
  "sized by first/last" rule. The requested cost uses `first`/`last`; the actual cost uses the
  number of items really returned, so a short last page is refunded.
- A mutation costs 10, except `productSet`, whose cost since 2025-10 is
  `10 + variantsx0.2 + variant_filesx0.6 + variant_metafieldsx0.4 + product_metafieldsx0.4 +
  product_filesx1.9` (rounded up). The payload's plain objects are part of that price; connections
  selected inside a payload are sized like any other connection and added, because Shopify
  sizes every connection a request can return.
"""

import math
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues, get_argument_values

MUTATION_COST = 10
MAX_SINGLE_QUERY_COST = 1000


def product_set_cost(input_value: dict[str, Any]) -> int:
    variants = input_value.get("variants") or []
    cost = (
        10
        + len(variants) * 0.2
        + sum(1 for v in variants if v.get("file")) * 0.6
        + sum(len(v.get("metafields") or []) for v in variants) * 0.4
        + len(input_value.get("metafields") or []) * 0.4
        + len(input_value.get("files") or []) * 1.9
    )
    return math.ceil(round(cost, 6))


class CostCalculator:
    """Walks one operation; with `data` it prices what was returned rather than what was asked."""

    def __init__(
        self,
        schema: GraphQLSchema,
        fragments: dict[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> None:
        self.schema = schema
        self.fragments = fragments
        self.variables = variables

    def operation(
        self, operation: OperationDefinitionNode, data: dict[str, Any] | None = None
    ) -> int:
        if operation.operation.value == "mutation":
            root = self.schema.mutation_type
            assert root is not None
            total = 0.0
            for node in self._fields(root, operation.selection_set):
                field_def = root.fields[node.name.value]
                args = get_argument_values(field_def, node, self.variables)
                base: float = (
                    product_set_cost(args["input"])
                    if node.name.value == "productSet"
                    else MUTATION_COST
                )
                sub = self._sub(data, node)
                named = get_named_type(field_def.type)
                if node.selection_set is not None and isinstance(named, GraphQLObjectType):
                    base += self._selection(named, node.selection_set, sub, in_payload=True)
                total += base
            return math.ceil(total)
        root_type = self.schema.query_type
        assert root_type is not None
        return math.ceil(
            self._selection(root_type, operation.selection_set, data, in_payload=False) - 0
        )

    def _fields(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode
    ) -> list[FieldNode]:
        found: list[FieldNode] = []
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                found.append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if (
                    condition is None
                    or condition.name.value == parent.name
                    or self._applies(condition.name.value, parent)
                ):
                    found += self._fields(parent, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment and self._applies(fragment.type_condition.name.value, parent):
                    found += self._fields(parent, fragment.selection_set)
        return found

    def _applies(self, condition: str, parent: GraphQLObjectType) -> bool:
        return condition == parent.name or condition in {i.name for i in parent.interfaces}

    @staticmethod
    def _sub(data: Any, node: FieldNode) -> Any:
        if not isinstance(data, dict):
            return None
        key = node.alias.value if node.alias else node.name.value
        return data.get(key)

    def _selection(
        self, parent: Any, selection_set: SelectionSetNode, data: Any, *, in_payload: bool
    ) -> float:
        if isinstance(parent, GraphQLInterfaceType | GraphQLUnionType):
            possible = self.schema.get_possible_types(parent)
            return max(
                (self._selection(t, selection_set, None, in_payload=in_payload) for t in possible),
                default=0.0,
            )
        total = 0.0
        for node in self._fields(parent, selection_set):
            name = node.name.value
            if name.startswith("__"):  # __typename and introspection (__schema, __type) are free
                continue
            field_def = parent.fields[name]
            named = get_named_type(field_def.type)
            if is_leaf_type(named) or node.selection_set is None:
                continue
            sub = self._sub(data, node)
            if named.name.endswith("Connection") and "nodes" in getattr(named, "fields", {}):
                total += self._connection(field_def, node, named, sub)
            elif in_payload:
                total += self._selection(named, node.selection_set, sub, in_payload=True)
            else:
                own = 1 if parent is self.schema.query_type else 0
                items = sub if isinstance(sub, list) else [sub]
                nested = (
                    self._selection(named, node.selection_set, i, in_payload=False) for i in items
                )
                total += own + max(nested, default=0.0)
        return total

    def _connection(self, field_def: Any, node: FieldNode, connection: Any, data: Any) -> float:
        node_type = get_named_type(connection.fields["nodes"].type)
        items: list[Any] | None = None
        if isinstance(data, dict):
            if isinstance(data.get("nodes"), list):
                items = data["nodes"]
            elif isinstance(data.get("edges"), list):
                items = [edge.get("node") for edge in data["edges"] if isinstance(edge, dict)]
            else:
                items = []
        item_sets: list[SelectionSetNode] = []
        for child in self._fields(connection, node.selection_set) if node.selection_set else []:
            if child.name.value == "nodes" and child.selection_set:
                item_sets.append(child.selection_set)
            elif child.name.value == "edges" and child.selection_set:
                edge_type = get_named_type(connection.fields["edges"].type)
                for edge_child in self._fields(edge_type, child.selection_set):
                    if edge_child.name.value == "node" and edge_child.selection_set:
                        item_sets.append(edge_child.selection_set)
        if items is not None:
            return 2 + sum(self._item_cost(node_type, item_sets, item) for item in items)
        args = get_argument_values(field_def, node, self.variables)
        size = args.get("first") or args.get("last") or 0
        return 2 + size * self._item_cost(node_type, item_sets, None)

    def _item_cost(self, node_type: Any, item_sets: list[SelectionSetNode], item: Any) -> float:
        nested = (self._selection(node_type, ss, item, in_payload=False) for ss in item_sets)
        return 1 + max(nested, default=0.0)
