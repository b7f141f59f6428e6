"""The API process's garbage-collector policy (graph.collector): what exists after startup is
frozen, and a run's growing working set no longer triggers full collections, each of which held
the event loop (and so every poll) for up to 1.5 s during a 10,000-item push."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from graph.collector import FULL_AFTER, server_collector
from tests.helpers.live import live_server


@contextmanager
def full_collections() -> Iterator[list[int]]:
    seen: list[int] = []

    def callback(phase: str, info: dict[str, Any]) -> None:
        if phase == "stop" and info["generation"] == 2:
            seen.append(1)

    gc.callbacks.append(callback)
    try:
        yield seen
    finally:
        gc.callbacks.remove(callback)


def _grow(count: int) -> list[list[int]]:
    """A working set that stays alive, like a run's entities and planned writes."""
    return [[n] for n in range(count)]


@contextmanager
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def test_a_growing_working_set_triggers_no_full_collection_under_the_policy() -> None:
    with default_thresholds():
        with server_collector(), full_collections() as seen:
            kept = _grow(300_000)
        assert seen == []
        assert gc.get_threshold() == (700, 10, 10)
        # The same growth under the interpreter's defaults: several full collections.
        gc.collect()
        with full_collections() as seen:
            kept += _grow(300_000)
        assert len(seen) >= 2
    del kept


async def test_the_server_runs_under_the_policy(database_url: str) -> None:
    with default_thresholds():
        async with live_server(database_url) as api:
            assert (await api.client.get("/healthz")).status_code == 200
            assert gc.get_threshold() == (700, 10, FULL_AFTER)
            assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (700, 10, 10)
