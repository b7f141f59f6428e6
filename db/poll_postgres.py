"""The polls' statements on PostgreSQL: an asyncpg pool of their own, rows cached in the process.

Outside SQLAlchemy's session and greenlet bridge (which cost about four times the query: 770
polls/s against the ceiling's 3,000 in bench.polling); asyncpg prepares each statement once per
connection and, outside a transaction, every read sees the newest commit. A read whose rows are
in the cache (db.poll_cache, with its consistency rule) sends nothing.
"""

import asyncio
import contextlib
import inspect
import json
from collections.abc import Callable
from typing import Any

import asyncpg
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db.poll_cache import Listener, PollCache, bump_on_commit

# Connections for polls: each read waits a round trip to the server process, which on a busy
# machine is scheduled late (ms); with 4 the API stopped at ~1,500 polls/s with its CPU idle.
POOL = 16


async def _as_it_is(_connection: Any) -> None:
    """Instead of asyncpg's reset on release (a round trip: advisory unlocks, CLOSE ALL,
    UNLISTEN, RESET ALL, which made a poll 366 us instead of 158): these connections only ever
    run the polls' reads, outside a transaction, so they leave nothing to reset."""


async def _json_codecs(connection: Any) -> None:
    # What SQLAlchemy's asyncpg dialect sets on its own connections: JSON columns decoded.
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


def connect_arguments(dialect: Any, url: URL) -> dict[str, Any]:
    """asyncpg.connect's arguments for the URL, as the engine's dialect derives them, query
    options (`?ssl=disable`) included, less those only the dialect reads. The URL turned back
    into a libpq DSN would not do: asyncpg takes an unknown query option such as `ssl` for a
    server setting, and the server refuses it ('parameter "ssl" cannot be changed now')."""
    _args, options = dialect.create_connect_args(url)
    accepted = inspect.signature(asyncpg.connect).parameters
    return {name: value for name, value in options.items() if name in accepted}


class PostgresPolls:
    """The pool and the listener start at the first read; `engine` is the app's, whose commits
    invalidate the cache."""

    def __init__(self, database_url: str, engine: AsyncEngine) -> None:
        url = make_url(database_url)
        self.dialect = url.get_dialect()()
        self._connect = connect_arguments(self.dialect, url)
        self._pool: Any = None
        self._opening = asyncio.Lock()
        self.cache = PollCache()
        bump_on_commit(engine, self.cache)
        self.listener = Listener(self._connect, self.cache)
        self._listening: asyncio.Task[None] | None = None
        self.queries = 0  # sent to the database (tests count cache hits with it)

    async def _open(self) -> None:
        async with self._opening:
            if self._pool is None:
                self._listening = asyncio.create_task(self.listener.run())
                self._pool = await asyncpg.create_pool(
                    **self._connect, min_size=1, max_size=POOL, init=_json_codecs, reset=_as_it_is
                )

    async def fetch(
        self, sql: str, arguments: list[Any], convert: Callable[[Any], list[Any]]
    ) -> list[Any]:
        """`convert`ed rows of `sql` with `arguments`, from the cache when they are valid."""
        key = (sql, *arguments)
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        if self._pool is None:
            await self._open()
        generation = self.cache.generation  # before the query: a commit meanwhile voids it
        self.queries += 1
        async with self._pool.acquire() as connection:
            rows = convert(await connection.fetch(sql, *arguments))
        self.cache.put(key, generation, rows)
        return rows

    async def close(self) -> None:
        if self._listening is not None:
            self._listening.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listening
        if self._pool is not None:
            await self._pool.close()
