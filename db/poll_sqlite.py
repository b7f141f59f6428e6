"""The polls' statements on SQLite: a synchronous read-only connection in the event loop's
thread, rows cached while the database file has not changed.

aiosqlite hands every step of a query (cursor, execute, fetch, close, rollback) to its thread
and back, and the ORM adds its identity map: together about 1 ms for a read that SQLite answers
in microseconds; hence a plain sqlite3 connection, used in the loop's thread. In WAL mode a
reader never waits for a writer (a sync running in the same process), so the loop is not held
behind a write.

The cache costs no listener here: `PRAGMA data_version` (a few microseconds) changes whenever
any other connection, of this process or another, has committed to the file, and this
read-only connection commits nothing. It is read before the query, so a commit landing between
the two only makes the entry look older than it is. Every commit is therefore visible to the
next poll, whichever process made it. A hit costs 4-5 us instead of 12-21 us for a query and
its rows (CPU per poll, bench.polling's shapes).
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

from db.poll_cache import PollCache


def sqlite_reader(database_url: str) -> Engine | None:
    """A synchronous read-only engine on `database_url`'s file; None for other databases and
    in-memory SQLite (which another connection cannot see)."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    engine = create_sync_engine(url.set(drivername="sqlite"), pool_size=1, max_overflow=4)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA query_only=ON")
        # A WAL reader waits only while a checkpoint restarts the log; keep that short.
        cursor.execute("PRAGMA busy_timeout=200")
        cursor.close()

    return engine


class SqlitePolls:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect
        self._connection: Connection | None = None
        self._cache = PollCache()
        self._versions_of: Any = None  # the DBAPI connection whose data_version the cache holds
        self.queries = 0  # sent to the database (tests count cache hits with it)

    async def fetch(
        self, sql: str, arguments: list[Any], convert: Callable[[Any], list[Any]]
    ) -> list[Any]:
        """`convert`ed rows of `sql` with `arguments`, from the cache when they are valid."""
        if self._connection is None or self._connection.closed:
            self._connection = self.engine.connect()
        raw: Any = self._connection.connection.dbapi_connection
        if raw is not self._versions_of:
            # data_version is per connection: another connection's numbers say nothing.
            self._cache = PollCache()
            self._cache.live = True
            self._versions_of = raw
        try:
            (version,) = raw.execute("PRAGMA data_version").fetchone()
            self._cache.generation = version
            key = (sql, *arguments)
            rows = self._cache.get(key)
            if rows is None:
                self.queries += 1
                rows = convert(raw.execute(sql, arguments).fetchall())
                self._cache.put(key, version, rows)
            return rows
        finally:
            # No snapshot outlives the read: the next poll sees the newest commit.
            raw.rollback()

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self.engine.dispose()
