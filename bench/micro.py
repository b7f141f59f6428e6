"""Microbenchmark: the engine's per-entity CPU work before any request (mapping + checksum).
`python -m bench --micro` prints it alone."""

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


def mapping_and_checksum(count: int = 10_000, seed: int = 1, rounds: int = 3) -> MicroResult:
    """CPU µs per entity for `product_set_input` and `entity_checksum` with the default
    mappings, the best of `rounds`. CPU time rather than wall time: on a machine shared with
    other work, wall time measures the neighbours (the same code read 52-71 µs wall and 25 µs
    CPU on a loaded machine)."""
    entities = list(attribute_stream(count, seed))
    mapped = summed = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for n, attributes in enumerate(entities):
            product_set_input(attributes, DEFAULT_MAPPINGS, include_identity=True, entity_id=str(n))
        mapped = min(mapped, time.process_time() - started)
        started = time.process_time()
        for attributes in entities:
            entity_checksum(attributes, DEFAULT_MAPPINGS)
        summed = min(summed, time.process_time() - started)
    return MicroResult(count, mapped / count * 1e6, summed / count * 1e6)
