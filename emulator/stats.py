"""Request counters tests and benchmarks read from the emulator handle."""

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Stats:
    requests: Counter[str] = field(default_factory=Counter)  # per root field, e.g. "productSet"
    operations: Counter[str] = field(default_factory=Counter)  # per operationName
    statuses: Counter[int] = field(default_factory=Counter)  # injected HTTP fault statuses
    total: int = 0  # GraphQL HTTP requests received, including rejected ones
    unauthorized: int = 0
    throttled: int = 0
    max_cost_exceeded: int = 0
    dropped: int = 0
    cost_spent: int = 0  # actual cost points charged

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]
