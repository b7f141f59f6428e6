"""bench.loop_lag: it sees a held event loop, names the code holding it, and counts full
garbage collections (the proof tool for issue 10's polls during a sync)."""

import asyncio
import gc
import time

from bench.loop_lag import GcWatch, LagProbe, StallSampler, percentile


def _hold_the_loop(seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pass


async def test_a_held_loop_shows_as_lag_attributed_to_the_holder() -> None:
    probe = LagProbe(interval=0.005)
    sampler = StallSampler(probe, threshold=0.02)
    task = asyncio.create_task(probe.run())
    sampler.start()
    try:
        await asyncio.sleep(0.05)
        probe.take()
        _hold_the_loop(0.2)
        await asyncio.sleep(0.05)
    finally:
        sampler.stopped.set()
        task.cancel()
    figures = probe.take()
    assert figures["max_ms"] >= 150
    stacks = sampler.take()
    assert stacks and "_hold_the_loop" in stacks[0][0]


async def test_an_idle_loop_shows_no_lag_beyond_noise() -> None:
    probe = LagProbe(interval=0.005)
    task = asyncio.create_task(probe.run())
    await asyncio.sleep(0.1)
    task.cancel()
    figures = probe.take()
    assert figures["samples"] >= 5
    assert figures["p50_ms"] < 50


def test_full_collections_are_counted() -> None:
    watch = GcWatch()
    try:
        gc.collect()
        gc.collect(0)
        figures = watch.take()
    finally:
        gc.callbacks.remove(watch._callback)
    assert figures["gen2"][0] == 1 and figures["gen0"][0] == 1
    assert watch.take()["gen2"][0] == 0


def test_percentile() -> None:
    assert percentile([], 0.99) == 0.0
    assert percentile([float(n) for n in range(100)], 0.99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0
