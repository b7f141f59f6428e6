"""Parse, validate (cached per document), cost and execute GraphQL requests against the store."""

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute,
    parse,
    validate,
)
from graphql.execution.values import VariableValues, get_variable_values

from emulator.context import ExecContext
from emulator.cost import CostCalculator
from emulator.errors import resolver_error, syntax_error, validation_error, variable_error


@dataclass
class Prepared:
    """A parsed and validated document; `errors` is set (Shopify-shaped) when it is invalid."""

    document: DocumentNode | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    fragments: dict[str, FragmentDefinitionNode] = field(default_factory=dict)
    operations: dict[str | None, OperationDefinitionNode] = field(default_factory=dict)

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        if name is None and len(self.operations) == 1:
            return next(iter(self.operations.values()))
        return self.operations.get(name)


def root_fields(operation: OperationDefinitionNode) -> list[str]:
    return [s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)]


@dataclass
class Planned:
    operation: OperationDefinitionNode
    variables: VariableValues
    requested_cost: int


class Executor:
    """Owns the executable schema and an LRU cache of prepared documents."""

    def __init__(self, schema: GraphQLSchema, cache_size: int = 1024) -> None:
        self.schema = schema
        self._cache: OrderedDict[str, Prepared] = OrderedDict()
        self._cache_size = cache_size

    def prepare(self, query: str) -> Prepared:
        cached = self._cache.get(query)
        if cached is not None:
            self._cache.move_to_end(query)
            return cached
        prepared = self._prepare(query)
        self._cache[query] = prepared
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return prepared

    def _prepare(self, query: str) -> Prepared:
        try:
            document = parse(query)
        except GraphQLError as error:
            return Prepared(None, [syntax_error(error)])
        errors = validate(self.schema, document)
        if errors:
            return Prepared(document, [validation_error(e) for e in errors])
        prepared = Prepared(document)
        for definition in document.definitions:
            if isinstance(definition, FragmentDefinitionNode):
                prepared.fragments[definition.name.value] = definition
            elif isinstance(definition, OperationDefinitionNode):
                prepared.operations[definition.name.value if definition.name else None] = definition
        return prepared

    def plan(
        self, prepared: Prepared, operation_name: str | None, raw_variables: dict[str, Any] | None
    ) -> Planned | list[dict[str, Any]]:
        """The operation to run, its coerced variables and requested cost, or Shopify-shaped
        errors."""
        operation = prepared.operation(operation_name)
        if operation is None:
            message = (
                "An operation name is required"
                if operation_name is None
                else f'No operation named "{operation_name}"'
            )
            return [{"message": message}]
        raw = raw_variables or {}
        coerced = get_variable_values(self.schema, operation.variable_definitions or (), raw)
        if isinstance(coerced, list):
            return [variable_error(e, raw) for e in coerced]
        calculator = CostCalculator(self.schema, prepared.fragments, coerced)
        try:
            requested = calculator.operation(operation)
        except GraphQLError as error:
            return [{"message": error.message, "locations": []}]
        return Planned(operation, coerced, requested)

    def execute(
        self, prepared: Prepared, variables: dict[str, Any] | None, context: ExecContext
    ) -> ExecutionResult:
        """Execute without cost accounting (bulk operations are exempt from the cost limit)."""
        assert prepared.document is not None
        result = execute(
            self.schema, prepared.document, variable_values=variables or {}, context_value=context
        )
        assert isinstance(result, ExecutionResult)
        return result

    def run(
        self,
        prepared: Prepared,
        planned: Planned,
        raw_variables: dict[str, Any] | None,
        context: ExecContext,
    ) -> tuple[dict[str, Any], int]:
        """Execute; returns the response body (without extensions) and the actual cost."""
        assert prepared.document is not None
        name = planned.operation.name.value if planned.operation.name else None
        result = execute(
            self.schema,
            prepared.document,
            variable_values=raw_variables or {},
            operation_name=name,
            context_value=context,
        )
        assert isinstance(result, ExecutionResult)
        body: dict[str, Any] = {}
        if result.errors:
            body["errors"] = [resolver_error(e) for e in result.errors]
        body["data"] = result.data
        calculator = CostCalculator(self.schema, prepared.fragments, planned.variables)
        actual = calculator.operation(planned.operation, result.data or {})
        return body, min(actual, planned.requested_cost)
