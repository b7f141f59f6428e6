"""One scenario's figures: wall time, emulator traffic deltas, peak memory, the cost bound."""

import asyncio
import contextlib
import resource
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.runner import Emulator

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (Linux >= 4.0), so each scenario gets its own peak."""
    try:
        _CLEAR_REFS.write_text("5")
        return True
    except OSError:
        return False


def current_rss_mb() -> float:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def peak_rss_mb() -> float:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@dataclass
class Measurement:
    scenario: str
    items: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    requests: int = 0
    cost: int = 0
    throttled: int = 0
    peak_rss: float = 0.0
    # resident memory when the scenario started: peak - start is what the run itself added
    start_rss: float = 0.0
    limiter_wait: float | None = None
    bucket_max: float = 0.0
    restore_rate: float = 0.0
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def bound(self) -> float:
        """Least time Shopify's leaky bucket allows for this much cost, starting full."""
        if self.restore_rate <= 0:
            return 0.0
        return max(0.0, self.cost - self.bucket_max) / self.restore_rate

    @property
    def ratio(self) -> float | None:
        """bound / wall: 1.0 means the run went as fast as the cost limit allows."""
        if self.bound <= 0 or self.wall <= 0:
            return None
        return self.bound / self.wall


@contextlib.asynccontextmanager
async def ticker(label: str, emu: Emulator, every: float = 10.0) -> AsyncIterator[None]:
    """Print a progress line every `every` seconds while the block runs."""
    started = time.perf_counter()
    base = emu.stats.total

    async def tick() -> None:
        while True:
            await asyncio.sleep(every)
            print(
                f"    ... {label}: {time.perf_counter() - started:6.0f}s, "
                f"{emu.stats.total - base} requests, {emu.stats.throttled} throttled so far",
                flush=True,
            )

    task = asyncio.create_task(tick())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def measure(
    scenario: str,
    emu: Emulator,
    work: Callable[[], Awaitable[tuple[int, dict[str, Any]]]],
    timeout: float,
    on_timeout: Callable[[], Awaitable[None]] | None = None,
) -> Measurement:
    """Run `work` (returning items and extra figures) from a full bucket, bounded by `timeout`."""
    print(f"  {scenario} ...", flush=True)
    emu.bucket.fill()
    stats = emu.stats
    before = (stats.total, stats.cost_spent, stats.throttled)
    reset_peak_rss()
    result = Measurement(
        scenario,
        bucket_max=emu.bucket.maximum,
        restore_rate=emu.bucket.restore_rate,
        start_rss=current_rss_mb(),
    )
    cpu_started = time.process_time()
    started = time.perf_counter()
    try:
        async with ticker(scenario, emu):
            result.items, result.extra = await asyncio.wait_for(work(), timeout)
    except TimeoutError:
        result.note = f"TIMED OUT after {timeout:.0f}s"
        if on_timeout is not None:
            await on_timeout()
    result.wall = time.perf_counter() - started
    result.cpu = time.process_time() - cpu_started
    result.requests = stats.total - before[0]
    result.cost = stats.cost_spent - before[1]
    result.throttled = stats.throttled - before[2]
    result.peak_rss = peak_rss_mb()
    wait = result.extra.get("limiter_wait")
    result.limiter_wait = float(wait) if wait is not None else None
    print(
        f"  {scenario}: {result.items} items in {result.wall:.1f}s, {result.requests} requests, "
        f"{result.cost} cost, {result.throttled} throttled {result.note}",
        flush=True,
    )
    return result
