"""Microbenchmark: the engine's per-entity CPU work before any request (mapping + checksum)."""

import time
from dataclasses import dataclass

from bench.seeding import attribute_stream
from sync.checksum import entity_checksum
from sync.fields import DEFAULT_MAPPINGS
from sync.mapping import product_set_input


@dataclass(frozen=True)
class MicroResult:
    entities: int
    mapping_us: float
    checksum_us: float

    @property
    def total_us(self) -> float:
        return self.mapping_us + self.checksum_us


def mapping_and_checksum(count: int = 10_000, seed: int = 1) -> MicroResult:
    """µs per entity for `product_set_input` and `entity_checksum` with the default mappings."""
    entities = list(attribute_stream(count, seed))
    started = time.perf_counter()
    for n, attributes in enumerate(entities):
        product_set_input(attributes, DEFAULT_MAPPINGS, include_identity=True, entity_id=str(n))
    mapped = time.perf_counter() - started
    started = time.perf_counter()
    for attributes in entities:
        entity_checksum(attributes, DEFAULT_MAPPINGS)
    summed = time.perf_counter() - started
    return MicroResult(count, mapped / count * 1e6, summed / count * 1e6)
