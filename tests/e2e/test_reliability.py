"""Runs under Shopify's pressure: a tiny cost bucket, injected 5xx and dropped connections."""

import asyncio

from tests.helpers.stack import stack

ITEMS = 10  # about 200 cost points: two seconds of a 60-point bucket restored at 100 a second


async def test_tiny_bucket_throttles_but_the_run_finishes_exactly(database_url: str) -> None:
    async with stack(database_url, bucket=60, restore_rate=100) as s:
        for i in range(ITEMS):
            await s.create_entity(name=f"T{i}", price="5.00", sku=f"T{i}")
        bucket = s.emulator.bucket

        async def other_consumer() -> None:
            # Another process of the same app shares the bucket and keeps emptying it, so our
            # limiter's picture is out of date and Shopify answers THROTTLED.
            for _ in range(20):
                bucket.try_take(bucket.available)
                await asyncio.sleep(0.02)

        drain = asyncio.create_task(other_consumer())
        log = (await s.run("push"))["syncLog"]
        await drain
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", ITEMS, 0), log
        assert len(s.emulator.store.products) == ITEMS
        assert s.emulator.stats.throttled > 0
        assert log["details"]["shopify"]["throttled"] > 0


async def test_injected_faults_give_exact_counts_and_no_duplicates(database_url: str) -> None:
    async with stack(database_url) as s:
        for i in range(40):
            await s.create_entity(name=f"F{i}", price="7.00", sku=f"F{i}")
        s.emulator.faults.configure(error_rate=0.1, drop_rate=0.05)
        log = (await s.run("push"))["syncLog"]
        s.emulator.faults.reset()
        assert (log["status"], log["pushed"], log["failed"]) == ("SUCCESS", 40, 0), log
        titles = sorted(p.title for p in s.emulator.store.products.values())
        assert titles == sorted(f"F{i}" for i in range(40))
        assert sum(s.emulator.stats.statuses.values()) + s.emulator.stats.dropped > 0
