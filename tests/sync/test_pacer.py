"""sync.pacer: a long loop hands the event loop over once per slice of work, not per item."""

import asyncio

from sync.pacer import Budget


async def _iterations_seen(budget: Budget, clock: list[float], steps: list[float]) -> list[int]:
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
        await budget.pause()
        seen.append(ticks)
    task.cancel()
    return seen


async def test_the_loop_runs_once_per_slice_of_work() -> None:
    clock = [0.0]
    budget = Budget(0.004, clock=lambda: clock[0])
    seen = await _iterations_seen(budget, clock, [0.001] * 12)
    # Work of 1 ms per item: the loop ran after items 4, 8 and 12 only.
    handovers = [n for n in range(1, len(seen)) if seen[n] > seen[n - 1]]
    assert handovers == [3, 7, 11], seen


async def test_an_item_longer_than_a_slice_hands_over_after_it() -> None:
    clock = [0.0]
    budget = Budget(0.004, clock=lambda: clock[0])
    seen = await _iterations_seen(budget, clock, [0.010, 0.0, 0.010])
    assert seen[1] == seen[0] and seen[2] > seen[1] and seen[0] > 0, seen


async def test_stretches_on_one_loop_share_one_slice_per_iteration_and_take_turns() -> None:
    clock = [0.0]
    budget = Budget(0.004, clock=lambda: clock[0])
    ticks = 0
    done: list[tuple[str, int]] = []  # (stretch, loop iteration) per millisecond of work

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    async def stretch(name: str) -> None:
        for _ in range(24):
            await budget.pause()
            clock[0] += 0.001
            done.append((name, ticks))

    counting = asyncio.create_task(ticker())
    await asyncio.gather(stretch("a"), stretch("b"), stretch("c"))
    counting.cancel()
    per_iteration: dict[int, list[str]] = {}
    for name, tick in done:
        per_iteration.setdefault(tick, []).append(name)
    # With a slice each, three stretches held the loop for up to 12 ms in one iteration.
    assert max(len(work) for work in per_iteration.values()) <= 4, per_iteration
    # Turns go round in order of arrival ("a" had the loop's first slice before the others
    # came): none waits for another's end.
    order = [work[0] for _, work in sorted(per_iteration.items())]
    assert order[:10] == ["a"] + ["a", "b", "c"] * 3, order


async def test_a_cancelled_waiter_passes_its_turn_on() -> None:
    clock = [0.0]
    budget = Budget(0.004, clock=lambda: clock[0])
    clock[0] = 1.0  # the slice is spent: every stretch now waits for a turn
    first = asyncio.create_task(budget.pause())
    second = asyncio.create_task(budget.pause())
    await asyncio.sleep(0)
    first.cancel()
    await asyncio.wait_for(second, timeout=1)
    assert first.cancelled()
