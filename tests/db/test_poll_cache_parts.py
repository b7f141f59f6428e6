"""The poll cache's parts (db.poll_cache): an entry lives for one generation in a bounded
LRU, and migration 0013's triggers notify the listeners' channel (created and dropped)."""

import asyncio
from typing import Any

import asyncpg
from alembic import command
from sqlalchemy import text, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import alembic_config, apply_migrations, create_engine
from db.models import Channel, SyncLog
from db.poll_cache import CHANNEL, Listener, PollCache
from db.poll_postgres import connect_arguments

TRIGGERS = {"sync_log_poll_notify", "channel_poll_notify"}


def test_an_entry_lives_for_one_generation_and_the_oldest_goes_first() -> None:
    cache = PollCache(size=2)
    cache.put("a", cache.generation, [1])
    assert cache.get("a") is None  # not live: nothing stored, nothing served
    cache.live = True
    started = cache.generation
    cache.bump()  # a commit while the read ran
    cache.put("a", started, [1])
    assert cache.get("a") is None
    cache.put("a", cache.generation, [1])
    cache.put("b", cache.generation, [2])
    assert cache.get("a") == [1]  # now the most recently used
    cache.put("c", cache.generation, [3])
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == ([1], None, [3])
    cache.bump()
    assert (cache.get("a"), cache.get("c")) == (None, None)
    cache.put("a", cache.generation, [1])
    cache.live = False
    assert cache.get("a") is None


def _triggers(connection: Connection) -> set[str]:
    if connection.dialect.name == "postgresql":
        query = (
            "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid IN ('sync_log'::regclass, 'channel'::regclass)"
        )
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    return {name for (name,) in connection.execute(text(query))}


async def test_migration_0013_creates_and_drops_the_notify_triggers(database_url: str) -> None:
    engine = create_engine(database_url)
    postgres = engine.dialect.name == "postgresql"
    try:
        await apply_migrations(engine)
        async with engine.begin() as connection:
            assert await connection.run_sync(_triggers) == (TRIGGERS if postgres else set())
            await connection.run_sync(lambda c: command.downgrade(alembic_config(c), "0012"))
            assert await connection.run_sync(_triggers) == set()
            if postgres:
                gone = await connection.scalar(text("SELECT to_regproc('sigma_poll_notify')"))
                assert gone is None
            await connection.run_sync(lambda c: command.upgrade(alembic_config(c), "head"))
            assert await connection.run_sync(_triggers) == (TRIGGERS if postgres else set())
        if postgres:
            await _notifies_the_listeners_channel(engine, database_url)
    finally:
        await engine.dispose()


async def _notifies_the_listeners_channel(engine: AsyncEngine, database_url: str) -> None:
    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(False)
    listener = await asyncpg.connect(dsn)
    received: asyncio.Queue[Any] = asyncio.Queue()
    try:
        await listener.add_listener(CHANNEL, lambda *args: received.put_nowait(args[-1]))
        async with engine.begin() as connection:
            await connection.execute(update(Channel).values(name="x"))
            await connection.execute(update(SyncLog).values(pushed=1))
        payloads = {await asyncio.wait_for(received.get(), 5) for _ in range(2)}
        assert payloads == {"channel", "sync_log"}
    finally:
        await listener.close()


async def test_the_listeners_probes_keep_it_live_and_void_nothing(postgres_url: str) -> None:
    url = make_url(postgres_url)
    connect = connect_arguments(url.get_dialect()(), url)
    cache, elsewhere = PollCache(), PollCache()
    # Each probes every 0.4 s; the other one stands in for another process's listener.
    listeners = [Listener(connect, cache, check_seconds=0.4), Listener(connect, elsewhere, 0.4)]
    tasks = [asyncio.create_task(listener.run()) for listener in listeners]
    try:
        deadline = asyncio.get_running_loop().time() + 10
        while not (cache.live and elsewhere.live):
            assert asyncio.get_running_loop().time() < deadline, "the listeners did not go live"
            await asyncio.sleep(0.02)
        generation = cache.generation
        await asyncio.sleep(1.7)  # four probes each, answered, none of them a change of data
        assert (cache.live, cache.generation, listeners[0].connections) == (True, generation, 1)
        engine = create_engine(postgres_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(update(Channel).values(name="y"))
        finally:
            await engine.dispose()
        while cache.generation == generation:
            assert asyncio.get_running_loop().time() < deadline + 5, "no notification came"
            await asyncio.sleep(0.02)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert not cache.live
