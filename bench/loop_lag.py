"""How long the event loop is held, and by what: a probe for the API process under a bench.

`LagProbe` is a task that sleeps `interval` seconds again and again and records how late each
wake-up is: a late wake-up is time during which nothing else on the loop (a poll's request,
say) could run either. `StallSampler` is a thread that notices when the probe has not woken for
`threshold` seconds and records the loop thread's Python stack at that moment, so a long hold
is attributed to the code holding it (the thread gets the GIL at the interpreter's switch
interval, so it sees pure-Python stretches; a C call that keeps the GIL shows as its caller).

`app()` is a `uvicorn --factory` target: the project's app with both running, and
`GET /bench/lag` answering (and resetting) their figures as JSON. bench.polling uses it with
`--lag`.
"""

import asyncio
import gc
import json
import os
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Any, Any], Awaitable[None]]
PROJECT_PACKAGES = ("/graph/", "/sync/", "/db/", "/emulator/", "/bench/")


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


class LagProbe:
    def __init__(self, interval: float = 0.005, clock: Callable[[], float] = time.perf_counter):
        self.interval = interval
        self.clock = clock
        self.lags: list[float] = []
        # Read by the sampler thread: when the loop last ran this probe.
        self.last_wake = clock()

    async def run(self) -> None:
        while True:
            before = self.clock()
            await asyncio.sleep(self.interval)
            self.last_wake = now = self.clock()
            self.lags.append(now - before - self.interval)

    def take(self) -> dict[str, float]:
        lags, self.lags = self.lags, []
        return {
            "samples": len(lags),
            "p50_ms": percentile(lags, 0.5) * 1000,
            "p99_ms": percentile(lags, 0.99) * 1000,
            "max_ms": max(lags, default=0.0) * 1000,
            # Share of the wall time the loop was held beyond the probe's own interval.
            "held_share": sum(lags) / max(1e-9, sum(lags) + len(lags) * self.interval),
        }


class GcWatch:
    """Pauses of the cyclic garbage collector: they hold the GIL, so the loop, whole."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self.clock = clock
        self.started = 0.0
        self.pauses: dict[int, list[float]] = {0: [], 1: [], 2: []}
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = self.clock()
        else:
            self.pauses[info["generation"]].append(self.clock() - self.started)

    def take(self) -> dict[str, list[float]]:
        pauses, self.pauses = self.pauses, {0: [], 1: [], 2: []}
        return {
            f"gen{g}": [len(p), sum(p) * 1000, max(p, default=0.0) * 1000]
            for g, p in pauses.items()
        }


def _where(frame: Any, depth: int) -> str:
    """The innermost project frames of a stack and its leaf, as one line."""
    stack = traceback.extract_stack(frame)
    ours = [f for f in stack if any(p in f.filename for p in PROJECT_PACKAGES)][-depth:]
    parts = [f"{f.filename.rsplit('/', 2)[-2]}/{f.name}:{f.lineno}" for f in ours]
    leaf = stack[-1]
    if not ours or leaf is not ours[-1]:
        parts.append(f"[{leaf.filename.rsplit('/', 1)[-1]}:{leaf.name}]")
    return " > ".join(parts)


class StallSampler(threading.Thread):
    def __init__(self, probe: LagProbe, threshold: float = 0.02, depth: int = 4) -> None:
        super().__init__(name="stall-sampler", daemon=True)
        self.probe = probe
        self.threshold = threshold
        self.depth = depth
        self.loop_thread = threading.get_ident()
        self.stacks: Counter[str] = Counter()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.threshold / 4):
            if self.probe.clock() - self.probe.last_wake < self.threshold + self.probe.interval:
                continue
            frame = sys._current_frames().get(self.loop_thread)
            if frame is not None:
                # Each count is about threshold/4 of loop time held at that stack.
                self.stacks[_where(frame, self.depth)] += 1

    def take(self, top: int = 12) -> list[tuple[str, int]]:
        stacks, self.stacks = self.stacks, Counter()
        return stacks.most_common(top)


def held_stacks(figures: list[dict[str, Any]], top: int = 8) -> list[tuple[str, int]]:
    """The stacks of several `GET /bench/lag` answers, summed, the most seen first."""
    held: Counter[str] = Counter()
    for figure in figures:
        held.update(dict(figure["stacks"]))
    return held.most_common(top)


def wrap(inner: ASGI, interval: float = 0.005, threshold: float = 0.02) -> ASGI:
    """`inner` with the probe and the sampler started on the first request."""
    state: dict[str, Any] = {}

    def start() -> None:
        probe = LagProbe(interval)
        sampler = StallSampler(probe, threshold)
        state.update(
            probe=probe, sampler=sampler, gc=GcWatch(), task=asyncio.ensure_future(probe.run())
        )
        sampler.start()

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and not state:
            start()
        if scope["type"] == "http" and scope["path"] == "/bench/lag":
            figures = {
                **state["probe"].take(),
                "gc": state["gc"].take(),
                "stacks": state["sampler"].take(),
            }
            body = json.dumps(figures).encode()
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await inner(scope, receive, send)

    return app


def app() -> ASGI:
    from graph.app import app_from_environment

    # BENCH_STALL_MS: how long the loop must be held before the sampler records the stack.
    threshold = float(os.environ.get("BENCH_STALL_MS", 20)) / 1000
    return wrap(app_from_environment(), threshold=threshold)


def census_app() -> ASGI:
    """Diagnostic (not used by bench.polling): app() that also prints, after each gen2 pause
    over 300 ms, how many objects the collector tracks, by type."""
    import collections

    def census(phase: str, info: dict[str, int]) -> None:
        if phase != "stop" or info["generation"] != 2:
            return
        objects = gc.get_objects()
        kinds = collections.Counter(type(o).__qualname__ for o in objects)
        print(f"census: {len(objects)} tracked", kinds.most_common(25), flush=True)

    timer = {"t": 0.0}

    def gate(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            timer["t"] = time.perf_counter()
        elif time.perf_counter() - timer["t"] > 0.3:
            census(phase, info)

    gc.callbacks.append(gate)
    return app()
