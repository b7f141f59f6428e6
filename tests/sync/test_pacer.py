"""sync.pacer: a long loop hands the event loop over once per slice of work, not per item."""

import asyncio

from sync.pacer import Pacer


async def _iterations_seen(pacer: Pacer, clock: list[float], steps: list[float]) -> list[int]:
    """Runs a loop of `steps` (seconds of work each) beside a task counting loop iterations."""
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    seen = []
    for work in steps:
        clock[0] += work
        await pacer.pause()
        seen.append(ticks)
    task.cancel()
    return seen


async def test_the_loop_runs_once_per_slice_of_work() -> None:
    clock = [0.0]
    pacer = Pacer(0.004, clock=lambda: clock[0])
    seen = await _iterations_seen(pacer, clock, [0.001] * 12)
    # Work of 1 ms per item: the loop ran after items 4, 8 and 12 only.
    handovers = [n for n in range(1, len(seen)) if seen[n] > seen[n - 1]]
    assert handovers == [3, 7, 11], seen


async def test_an_item_longer_than_a_slice_hands_over_after_it() -> None:
    clock = [0.0]
    pacer = Pacer(0.004, clock=lambda: clock[0])
    seen = await _iterations_seen(pacer, clock, [0.010, 0.0, 0.010])
    assert seen[1] == seen[0] and seen[2] > seen[1] and seen[0] > 0, seen
