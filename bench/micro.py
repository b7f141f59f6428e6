"""Microbenchmark: the engine's per-entity CPU work before any request (mapping + checksum).
`python -m bench --micro` prints it alone."""

import time
from dataclasses import dataclass

from bench.seeding import attribute_stream
from sync.checksum import push_values_and_checksum
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
    """CPU µs per entity for what a push does with a changed entity, with the default mappings,
    the best of `rounds`: its checksum (`push_values_and_checksum`, which also yields the
    strict push values) and its productSet input built from those values. An unchanged entity
    costs the checksum part only. CPU time rather than wall time: on a machine shared with other
    work, wall time measures the neighbours (52-71 µs wall and 25 µs CPU on a loaded machine,
    for the code before the values were shared)."""
    entities = list(attribute_stream(count, seed))
    summed = both = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for attributes in entities:
            push_values_and_checksum(attributes, DEFAULT_MAPPINGS)
        summed = min(summed, time.process_time() - started)
        # Each entity's values are used and dropped at once, as a push batch does: holding
        # 10,000 of them would time the garbage collector walking them instead.
        started = time.process_time()
        for n, attributes in enumerate(entities):
            values, _ = push_values_and_checksum(attributes, DEFAULT_MAPPINGS)
            product_set_input(
                attributes,
                DEFAULT_MAPPINGS,
                include_identity=True,
                entity_id=str(n),
                values=values,
            )
        both = min(both, time.process_time() - started)
    mapped = max(0.0, both - summed)
    return MicroResult(count, mapped / count * 1e6, summed / count * 1e6)
