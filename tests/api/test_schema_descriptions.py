"""Every public type, field, argument and enum value of the API has a description."""

from graph.descriptions import DESCRIPTIONS
from graph.schema import schema
from graph.schema_docs import public_elements

BUILT_IN = {"String", "Int", "Float", "Boolean", "ID"}


def test_every_public_element_is_described() -> None:
    missing = [
        key
        for key, element in public_elements(schema._schema)
        if key.split(".")[0] not in BUILT_IN and not element.description
    ]
    assert missing == []


def test_the_table_names_only_what_the_schema_has() -> None:
    keys = {key for key, _ in public_elements(schema._schema)}
    assert sorted(set(DESCRIPTIONS) - keys) == []
