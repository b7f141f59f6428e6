"""A sync runs in the API's process: its long stretches of planning, encoding and reading hand
the event loop over (sync.pacer), so requests are answered meanwhile."""

import asyncio
import json
from collections import defaultdict
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import func, select

from db import sync_mappings
from db.models import SyncMapping
from sync import linking, pacer, push
from sync.run import BulkMode, RunOptions
from sync.shopify import bulk
from tests.helpers.stack import stack


async def test_a_bulk_push_lets_the_loop_run_between_items(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slice of 0: every pause hands over, so each item's work is followed by a loop iteration.
    monkeypatch.setattr(pacer, "SLICE", 0.0)
    # Mappings are written a few rows per statement: 6 new ones as 4 + 2.
    monkeypatch.setattr(sync_mappings, "WRITE_CHUNK", 4)
    ticks = 0
    seen: dict[str, list[int]] = defaultdict(list)

    def spy(name: str, work: Callable[..., Any]) -> Callable[..., Any]:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            seen[name].append(ticks)
            return work(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(
        push, "push_values_and_checksum", spy("checksum", push.push_values_and_checksum)
    )
    monkeypatch.setattr(linking, "entity_keys", spy("link keys", linking.entity_keys))
    monkeypatch.setattr(push, "plan_for", spy("plan", push.plan_for))
    monkeypatch.setattr(bulk, "json", SimpleNamespace(dumps=spy("encode", json.dumps)))

    async def ticker() -> None:
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    url = f"sqlite+aiosqlite:///{tmp_path / 'pacing.db'}"
    async with stack(url, runner={"options": RunOptions(bulk=BulkMode.ALWAYS)}) as s:
        for i in range(6):
            await s.create_entity(name=f"Paced {i}", price="2.50", sku=f"PC{i}")
        counting = asyncio.create_task(ticker())
        try:
            log = (await s.run("push"))["syncLog"]
        finally:
            counting.cancel()
        async with s.sessions() as session:
            mapped = await session.scalar(select(func.count()).select_from(SyncMapping))
    assert mapped == 6
    assert (log["status"], log["pushed"], log["details"]["pushMode"]) == ("SUCCESS", 6, "bulk")
    assert set(seen) == {"checksum", "link keys", "plan", "encode"}
    for name, at in seen.items():
        # the ticker ran between any two items: no stretch held the loop across items
        assert len(at) >= 6 and all(b > a for a, b in pairwise(at)), (name, at)
