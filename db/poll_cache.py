"""Rows of the polls' reads kept in the process, served only while nothing can have changed them.

The consistency rule on PostgreSQL: a commit made through this process's engine is visible to
the next poll (the cache is invalidated before that commit returns to its caller); a commit made
by another process (a second API process, `sigma worker`) is visible once PostgreSQL has
delivered its notification to this process, normally within milliseconds of the commit. While
the listener is not connected (starting, dropped, reconnecting) every poll queries, as if there
were no cache. On SQLite every commit, of any process, is visible to the next poll
(db.poll_sqlite: the generation is the file's `PRAGMA data_version`).

How, on PostgreSQL: one generation counter per process. Every commit on the app's engine bumps
it, and so does every notification that migration 0013's triggers send when a statement writes
`sync_log` or `channel`, and every (re)connection of the listener (notifications sent while
nobody listened are lost). A read notes the generation before it queries and stores its rows
under that generation, so a bump that lands while the query runs makes its rows invalid at once;
an entry is served only while the generation is the one it was stored under. Conservative: any
commit and any write statement to those tables invalidates every entry.
"""

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger("sigma.polls")

# The channel migration 0013's triggers notify (the migration spells it out, as migrations do).
CHANNEL = "sigma_poll_reads"
# Entries, not bytes: a UI polls a handful of shapes; 256 pages of 251 logs at most.
SIZE = 256
# The payload of the listener's own delivery checks (the triggers send table names).
PROBE = "probe"
# How the listener shows in pg_stat_activity.
APPLICATION_NAME = "sigma poll listener"


class PollCache:
    """An LRU of (statement, parameters) -> rows, valid for one generation."""

    def __init__(self, size: int = SIZE) -> None:
        self.generation = 0
        # Whether every write that could change a cached row bumps the generation: on
        # PostgreSQL, only while the listener is connected.
        self.live = False
        self._size = size
        self._entries: OrderedDict[Hashable, tuple[int, list[Any]]] = OrderedDict()

    def bump(self) -> None:
        self.generation += 1

    def get(self, key: Hashable) -> list[Any] | None:
        if not self.live:
            return None
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] != self.generation:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: Hashable, generation: int, rows: list[Any]) -> None:
        """Keep `rows`, read by a query that started at `generation`, unless something may
        have committed since (then they may already be old)."""
        if not self.live or generation != self.generation:
            return
        self._entries[key] = (generation, rows)
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


def bump_on_commit(engine: AsyncEngine, cache: PollCache) -> None:
    """Bump `cache` whenever a transaction commits on `engine`, ORM session or Core connection.

    Hooked on the dialect's do_commit rather than SQLAlchemy's "commit" event: that event fires
    before COMMIT is sent, so a poll running between the two would read the old row and store
    it under the new generation, served after the commit returned. Bumping once COMMIT has
    returned (or failed: it may have landed) leaves no such window, and the writer sees it
    before its own `commit()` returns.
    """
    dialect = engine.sync_engine.dialect
    do_commit: Callable[[Any], None] = dialect.do_commit

    def do_commit_and_bump(dbapi_connection: Any) -> None:
        try:
            do_commit(dbapi_connection)
        finally:
            cache.bump()

    dialect.do_commit = do_commit_and_bump  # type: ignore[method-assign]


class Listener:
    """A dedicated asyncpg connection LISTENing on CHANNEL; each notification bumps the cache.

    The cache is live only while the connection is up and proven to deliver: before going live,
    and then every `check_seconds`, the listener sends itself a probe notification and waits
    for it to come back (a connection through a transaction-pooling proxy, where LISTEN does
    not hold, never goes live; one whose peer vanished without closing it is found within
    `check_seconds` plus that wait, during which another process's commits could go unseen).
    It reconnects with backoff and bumps on every (re)connection, since notifications sent while
    nobody listened are lost.
    """

    def __init__(
        self,
        connect: Mapping[str, Any],
        cache: PollCache,
        check_seconds: float = 5.0,
        backoff: tuple[float, float] = (0.1, 5.0),
    ) -> None:
        self._connect = dict(connect)  # asyncpg.connect's arguments
        self._cache = cache
        self._check_seconds = check_seconds
        self._backoff = backoff
        self._pid = 0  # the server process behind our connection, whose probes we wait for
        self._probe_back = asyncio.Event()
        self.connections = 0  # successful connections, for tests and logs

    def _notified(self, _connection: object, pid: int, _channel: str, payload: str) -> None:
        if payload == PROBE:  # changes no data, whoever sent it
            if pid == self._pid:
                self._probe_back.set()
            return
        self._cache.bump()

    async def run(self) -> None:
        """Listen until cancelled."""
        delay = self._backoff[0]
        while True:
            connections = self.connections
            try:
                await self._listen()  # leaves the cache not live, however it ends
            except Exception as e:  # whatever it was, the next connection may work
                log.warning("poll cache listener down, polls query meanwhile: %r", e)
            if self.connections > connections:
                delay = self._backoff[0]  # it was up: this outage starts from the floor
            await asyncio.sleep(delay)
            delay = min(delay * 2, self._backoff[1])

    async def _probe(self, connection: Any) -> None:
        self._probe_back.clear()
        await connection.execute(f"SELECT pg_notify('{CHANNEL}', '{PROBE}')")
        await asyncio.wait_for(self._probe_back.wait(), self._check_seconds)

    async def _listen(self) -> None:
        connection = await asyncpg.connect(
            **self._connect, timeout=10, server_settings={"application_name": APPLICATION_NAME}
        )
        closed = asyncio.Event()

        def on_close(_connection: object) -> None:
            self._cache.live = False
            closed.set()

        connection.add_termination_listener(on_close)
        try:
            self._pid = connection.get_server_pid()
            await connection.add_listener(CHANNEL, self._notified)
            await self._probe(connection)
            # LISTEN is in effect: whatever committed before is covered by this bump.
            self._cache.bump()
            self._cache.live = True
            self.connections += 1
            while not closed.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(closed.wait(), self._check_seconds)
                if not closed.is_set():
                    await self._probe(connection)
            raise ConnectionError("the listener's connection closed")
        finally:
            self._cache.live = False
            await _close(connection)


async def _close(connection: Any) -> None:
    # A polite close, so the server logs no "unexpected EOF"; one that fails or hangs is cut.
    try:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(connection.close(), 1)
    finally:
        if not connection.is_closed():
            connection.terminate()
