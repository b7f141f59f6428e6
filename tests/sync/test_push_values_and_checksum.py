"""The checksum a push computes on the way to its productSet input is the entity checksum, and
the values it hands over are the strict push values; a mapping that does not push, or a value
Shopify would refuse, falls back to the plain checksum."""

from typing import Any

from hypothesis import given, settings

from sync.checksum import entity_checksum, push_values_and_checksum
from sync.fields import DEFAULT_MAPPINGS, FieldMapping, MappingDirection
from sync.mapping import push_values
from tests.helpers.mapping_samples import FULL_MULTI, FULL_SINGLE, RICH, entities


@settings(max_examples=200, deadline=None)
@given(entities())
def test_same_checksum_and_the_strict_values(attributes: dict[str, Any]) -> None:
    for mappings in (RICH, DEFAULT_MAPPINGS):
        values, checksum = push_values_and_checksum(attributes, mappings)
        assert checksum == entity_checksum(attributes, mappings)
        if values is not None:
            assert values == push_values(attributes, mappings, strict=True)


def test_values_come_with_every_pushing_mapping_only() -> None:
    for sample in (FULL_SINGLE, FULL_MULTI):
        values, _ = push_values_and_checksum(sample, RICH)
        assert values == push_values(sample, RICH, strict=True)
    pulled_only = [*RICH, FieldMapping("note", "metafield.custom.note", MappingDirection.PULL)]
    values, checksum = push_values_and_checksum(FULL_SINGLE, pulled_only)
    assert values is None and checksum == entity_checksum(FULL_SINGLE, pulled_only)


def test_a_value_shopify_would_refuse_gives_no_values_and_the_lenient_checksum() -> None:
    bad = {**FULL_SINGLE, "price": "twelve"}
    values, checksum = push_values_and_checksum(bad, RICH)
    assert values is None and checksum == entity_checksum(bad, RICH)
