"""The emulator's SDL must be a strict subset of Shopify's real Admin SDL."""

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    build_schema,
    print_ast,
)

from emulator.schema import load_schema


@pytest.fixture
def real(shopify_unstable_schema: GraphQLSchema) -> GraphQLSchema:
    return shopify_unstable_schema


def _default(arg: GraphQLArgument) -> str | None:
    """An argument's default as SDL text (graphql-core 3.3 keeps SDL defaults as literals)."""
    if arg.default is not None and arg.default.literal is not None:
        return print_ast(arg.default.literal)
    return None if arg.default_value is Undefined else repr(arg.default_value)


def subset_problems(ours: GraphQLSchema, real: GraphQLSchema) -> list[str]:
    problems: list[str] = []
    for name, ours_type in ours.type_map.items():
        if name.startswith("__"):
            continue
        real_type = real.type_map.get(name)
        if real_type is None:
            problems.append(f"type {name} is not in Shopify's schema")
            continue
        if type(real_type) is not type(ours_type):
            problems.append(f"type {name} is a {type(ours_type).__name__} here")
            continue
        if isinstance(ours_type, GraphQLEnumType):
            assert isinstance(real_type, GraphQLEnumType)
            extra = set(ours_type.values) - set(real_type.values)
            problems += [f"enum value {name}.{v} is not Shopify's" for v in sorted(extra)]
        if isinstance(ours_type, GraphQLUnionType):
            continue
        if isinstance(ours_type, GraphQLObjectType | GraphQLInterfaceType):
            assert isinstance(real_type, GraphQLObjectType | GraphQLInterfaceType)
            real_ifaces = {i.name for i in real_type.interfaces}
            problems += [
                f"{name} implements {i.name} only here"
                for i in ours_type.interfaces
                if i.name not in real_ifaces
            ]
            for fname, field in ours_type.fields.items():
                real_field = real_type.fields.get(fname)
                if real_field is None:
                    problems.append(f"field {name}.{fname} is not Shopify's")
                    continue
                if str(field.type) != str(real_field.type):
                    problems.append(f"{name}.{fname}: {field.type} != {real_field.type}")
                for aname, arg in field.args.items():
                    real_arg = real_field.args.get(aname)
                    if real_arg is None:
                        problems.append(f"argument {name}.{fname}({aname}) is not Shopify's")
                    elif str(arg.type) != str(real_arg.type):
                        problems.append(f"{name}.{fname}({aname}): {arg.type} != {real_arg.type}")
                    elif _default(arg) != _default(real_arg):
                        problems.append(f"{name}.{fname}({aname}) default differs")
                required = {a for a, v in real_field.args.items() if "!" in str(v.type)} - {
                    a for a, v in real_field.args.items() if v.default_value is not None
                }
                problems += [
                    f"{name}.{fname} lacks Shopify's required argument {a}"
                    for a in sorted(required - set(field.args))
                    if real_field.args[a].default_value is None
                ]
        if isinstance(ours_type, GraphQLInputObjectType):
            assert isinstance(real_type, GraphQLInputObjectType)
            if ours_type.is_one_of != real_type.is_one_of:
                problems.append(f"input {name} @oneOf differs")
            for fname, ifield in ours_type.fields.items():
                real_ifield = real_type.fields.get(fname)
                if real_ifield is None:
                    problems.append(f"input field {name}.{fname} is not Shopify's")
                elif str(ifield.type) != str(real_ifield.type):
                    problems.append(f"{name}.{fname}: {ifield.type} != {real_ifield.type}")
    return problems


def test_emulator_schema_is_a_subset_of_shopifys(real: GraphQLSchema) -> None:
    assert subset_problems(load_schema(), real) == []


def test_subset_check_catches_an_invented_field(real: GraphQLSchema) -> None:
    invented = build_schema(
        "type QueryRoot { shop: Shop! } type Shop { name: Int! madeUp: String } "
        "schema { query: QueryRoot }"
    )
    problems = subset_problems(invented, real)
    assert "Shop.name: Int! != String!" in problems
    assert "field Shop.madeUp is not Shopify's" in problems


# What 2026-01 changed, per Shopify's 2026-01+ docs (emulator/schema_2026_01.graphql cites them);
# the real SDL file here is the 2025-10 `unstable`, which predates these.
CHANGED_IN_2026_01 = {
    "field QueryRoot.bulkOperation is not Shopify's",
    "field QueryRoot.bulkOperations is not Shopify's",
    "Mutation.bulkOperationRunQuery(groupObjects) default differs",
    "enum value BulkOperationUserErrorCode.LIMIT_REACHED is not Shopify's",
    "enum value BulkMutationErrorCode.LIMIT_REACHED is not Shopify's",
    "type BulkOperationConnection is not in Shopify's schema",
    "type BulkOperationEdge is not in Shopify's schema",
    "type BulkOperationsSortKeys is not in Shopify's schema",
}


def test_the_2026_01_schema_differs_only_by_its_documented_changes(real: GraphQLSchema) -> None:
    assert set(subset_problems(load_schema(modern=True), real)) == CHANGED_IN_2026_01


def test_subset_check_catches_a_changed_default(real: GraphQLSchema) -> None:
    changed = build_schema(
        "type QueryRoot { shop: Shop! currentBulkOperation(type: BulkOperationType = MUTATION): "
        "BulkOperation } type Shop { name: String! } type BulkOperation { id: ID! } "
        "enum BulkOperationType { MUTATION QUERY } schema { query: QueryRoot }"
    )
    problems = subset_problems(changed, real)
    assert "QueryRoot.currentBulkOperation(type) default differs" in problems
