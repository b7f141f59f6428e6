"""Fault injection: seeded random failures and targeted, scripted ones.

All faults are off by default. Random faults: `error_rate` (HTTP 500/502/503), `throttle_rate`
(HTTP 429 with `Retry-After`), `drop_rate` (connection closed without a response) and `latency`
(seconds added to every request). Targeted faults apply to the next N requests whose root field
is the given operation: `fail_next` answers with an HTTP status before anything runs,
`drop_next` closes the connection before anything runs, and `drop_after_commit` runs the
request (Shopify commits) and then closes the connection, a lost reply.
"""

import random
from dataclasses import dataclass, field
from enum import Enum


class FaultKind(Enum):
    NONE = "none"
    STATUS = "status"
    DROP = "drop"
    DROP_AFTER_COMMIT = "drop_after_commit"


@dataclass
class Fault:
    kind: FaultKind
    status: int = 0
    retry_after: float | None = None


@dataclass
class _Script:
    operation: str
    fault: Fault
    remaining: int


@dataclass
class FaultConfig:
    error_rate: float = 0.0
    throttle_rate: float = 0.0
    drop_rate: float = 0.0
    latency: float = 0.0
    retry_after: float = 1.0


@dataclass
class Faults:
    """Runtime-adjustable fault plan; `decide` is called once per GraphQL request."""

    config: FaultConfig = field(default_factory=FaultConfig)
    seed: int = 0
    _scripts: list[_Script] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def configure(self, **settings: float) -> None:
        for name, value in settings.items():
            if not hasattr(self.config, name):
                raise AttributeError(f"unknown fault setting {name!r}")
            setattr(self.config, name, float(value))

    def reset(self) -> None:
        self.config = FaultConfig()
        self._scripts.clear()

    def fail_next(
        self, operation: str, status: int = 503, times: int = 1, retry_after: float | None = None
    ) -> None:
        self._scripts.append(
            _Script(operation, Fault(FaultKind.STATUS, status, retry_after), times)
        )

    def drop_next(self, operation: str, times: int = 1) -> None:
        self._scripts.append(_Script(operation, Fault(FaultKind.DROP), times))

    def drop_after_commit(self, operation: str, times: int = 1) -> None:
        self._scripts.append(_Script(operation, Fault(FaultKind.DROP_AFTER_COMMIT), times))

    def decide(self, operations: list[str]) -> Fault:
        for script in self._scripts:
            if script.remaining > 0 and (script.operation in operations or script.operation == "*"):
                script.remaining -= 1
                return script.fault
        self._scripts = [s for s in self._scripts if s.remaining > 0]
        config, roll = self.config, self._random.random()
        if roll < config.drop_rate:
            return Fault(FaultKind.DROP)
        roll -= config.drop_rate
        if roll < config.throttle_rate:
            return Fault(FaultKind.STATUS, 429, config.retry_after)
        roll -= config.throttle_rate
        if roll < config.error_rate:
            return Fault(FaultKind.STATUS, self._random.choice((500, 502, 503)))
        return Fault(FaultKind.NONE)
