import asyncio

import pytest

from sync.shopify.limiter import CostLimiter, ThrottleStatus
from tests.helpers.scripted_shopify import FakeClock


def status(available: float, maximum: float = 1000.0, rate: float = 50.0) -> ThrottleStatus:
    return ThrottleStatus(maximum=maximum, available=available, restore_rate=rate)


def test_throttle_status_parses_int_available_and_rejects_missing() -> None:
    parsed = ThrottleStatus.from_cost(
        {
            "throttleStatus": {
                "maximumAvailable": 2000.0,
                "currentlyAvailable": 1990,
                "restoreRate": 100.0,
            }
        }
    )
    assert parsed == ThrottleStatus(2000.0, 1990.0, 100.0)
    assert ThrottleStatus.from_cost({"requestedQueryCost": 3}) is None
    assert ThrottleStatus.from_cost(None) is None


def test_available_extrapolates_refill_and_caps_at_maximum(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    assert limiter.available() is None
    limiter.observe(status(100.0))
    clock.now += 2
    assert limiter.available() == 200.0
    clock.now += 100
    assert limiter.available() == 1000.0


async def test_acquire_waits_computed_time(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    limiter.observe(status(100.0, rate=50.0))
    reservation = await limiter.acquire(300.0)
    # (300 - 100) / 50 = 4 s
    assert clock.sleeps == [pytest.approx(4.0)]
    assert limiter.reserved == 300.0
    limiter.settle(reservation, status(0.0, rate=50.0))
    assert limiter.reserved == 0.0


async def test_reservations_make_concurrent_callers_wait(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    limiter.observe(status(1000.0, rate=100.0))
    # Ten callers of 200 points each against a full bucket of 1000: five go at once, the
    # other five must wait for refill instead of all believing the bucket is full.
    reservations = await asyncio.gather(*(limiter.acquire(200.0) for _ in range(10)))
    assert len(reservations) == 10
    assert clock.sleeps, "later callers should have waited"
    assert sum(clock.sleeps) == pytest.approx(10.0)  # 1000 extra points at 100/s
    assert limiter.reserved == 2000.0


async def test_cost_above_bucket_is_clamped(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    limiter.observe(status(0.0, maximum=100.0, rate=10.0))
    await limiter.acquire(500.0)
    assert sum(clock.sleeps) == pytest.approx(10.0)


async def test_first_request_probes_alone_then_others_follow(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    probe = await limiter.acquire(10.0)
    assert probe.probe
    second = asyncio.create_task(limiter.acquire(10.0))
    await asyncio.sleep(0.01)
    assert not second.done(), "must wait for the probe's throttle status"
    limiter.settle(probe, status(500.0))
    follower = await asyncio.wait_for(second, 1)
    assert not follower.probe
    assert clock.sleeps == []


async def test_failed_probe_hands_probing_to_next_caller(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    probe = await limiter.acquire(10.0)
    waiting = asyncio.create_task(limiter.acquire(10.0))
    await asyncio.sleep(0.01)
    limiter.settle(probe, None, answered=False)
    assert (await asyncio.wait_for(waiting, 1)).probe


async def test_shop_without_throttle_status_is_unmetered(clock: FakeClock) -> None:
    limiter = CostLimiter(clock=clock, sleep=clock.sleep)
    limiter.settle(await limiter.acquire(10.0), None, answered=True)
    results = await asyncio.gather(*(limiter.acquire(10_000.0) for _ in range(3)))
    assert [r.probe for r in results] == [False, False, False]
    assert clock.sleeps == []
