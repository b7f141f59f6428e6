"""The reads a UI polls (one sync log, a channel's newest logs, the channels): one query each,
and on PostgreSQL none while nothing has changed.

On SQLite, aiosqlite hands every step of a query (cursor, execute, fetch, close, rollback) to
its thread and back, and the ORM adds its identity map: together about 1 ms for a read that
SQLite answers in microseconds. Polls therefore run prepared Core statements on a
synchronous, read-only connection in the event loop's own thread. In WAL mode a reader never
waits for a writer (a sync running in the same process), so the loop is not held behind a
write. Rows are returned as SQLAlchemy Rows, which carry the model's column attributes.
On PostgreSQL the same prepared statements run on a small asyncpg pool of the poller's own
(db.poll_postgres). Each was still a round trip to a server process sharing the machine's cores
(0.46-0.66x the ceiling in bench.polling), so their rows are cached in the process
(db.poll_cache): a commit through this process's engine is visible to the next poll; another
process's commit once PostgreSQL has delivered its notification (migration 0013's triggers);
while the listener is not connected, every poll queries.
Other databases use the ordinary async session and db/ functions.
"""

from collections import namedtuple
from typing import Any

from sqlalchemy import bindparam, event, func, select
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db import channels, sync_logs
from db.engine import SessionFactory
from db.enums import SyncStatus
from db.models import Channel, SyncLog
from db.pagination import Page, check_page_size, decode_cursor, encode_cursor
from db.poll_postgres import PostgresPolls

_LOG = SyncLog.__table__  # type: ignore[attr-defined]
_CHANNEL = Channel.__table__  # type: ignore[attr-defined]
_GET_LOG = select(_LOG).where(_LOG.c.id == bindparam("id"))
_CHANNELS = select(_CHANNEL).order_by(_CHANNEL.c.id)


def _sqlite_reader(database_url: str) -> Engine | None:
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


def _logs_query(with_status: bool, with_after: bool) -> Any:
    query = select(_LOG).where(_LOG.c.channel_id == bindparam("channel_id"))
    if with_status:
        query = query.where(_LOG.c.status == bindparam("status"))
    if with_after:
        query = query.where(_LOG.c.id < bindparam("after"))
    return query


# Built once: SQLAlchemy then reuses each statement's compiled form.
_PAGES = {
    (s, a): _logs_query(s, a).order_by(_LOG.c.id.desc()).limit(bindparam("limit"))
    for s in (False, True)
    for a in (False, True)
}
_COUNTS = {
    s: select(func.count()).select_from(_logs_query(s, False).subquery()) for s in (False, True)
}


class _Prepared:
    """A statement compiled once for SQLite, run on the raw sqlite3 connection.

    SQLAlchemy's execution path (parameter processing, result metadata, Row construction)
    costs several times the query; the column types' own result processors are kept, so
    values come back exactly as the ORM would give them (aware datetimes, decoded JSON).
    """

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.names: list[str] = list(compiled.positiontup or [])
        self.defaults = {
            name: bind.value for name, bind in compiled.binds.items() if bind.value is not None
        }
        columns = [c for c in statement.selected_columns]
        self.row = namedtuple("Row", [c.name for c in columns])  # type: ignore[misc]
        self.processors = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]

    def arguments(self, params: dict[str, Any]) -> list[Any]:
        values = {**self.defaults, **params}
        return [values[name] for name in self.names]

    def rows(self, rows: Any) -> list[Any]:
        processors = self.processors
        return [
            self.row(*(p(v) if p else v for p, v in zip(processors, row, strict=True)))
            for row in rows
        ]

    def run(self, connection: Any, params: dict[str, Any]) -> list[Any]:
        return self.rows(connection.execute(self.sql, self.arguments(params)).fetchall())


class PollReads:
    def __init__(self, database_url: str, sessions: SessionFactory, engine: AsyncEngine) -> None:
        """`engine` is the app's: on PostgreSQL its commits invalidate the cached rows."""
        self._sessions = sessions
        self._engine = _sqlite_reader(database_url)
        postgres = make_url(database_url).get_backend_name() == "postgresql"
        self._postgres = PostgresPolls(database_url, engine) if postgres else None
        self._dialect = (
            self._engine.dialect if self._engine else getattr(self._postgres, "dialect", None)
        )
        self._fast = self._engine is not None or self._postgres is not None
        self._connection: Connection | None = None
        self._sqlite_queries = 0
        # Keyed by id() of the module-level statements above, which live as long as the process.
        self._prepared: dict[int, _Prepared] = {}

    def _statement(self, statement: Any) -> _Prepared:
        prepared = self._prepared.get(id(statement))
        if prepared is None:
            prepared = _Prepared(statement, self._dialect)
            self._prepared[id(statement)] = prepared
        return prepared

    async def _read(self, statement: Any, params: dict[str, Any] | None = None) -> list[Any]:
        prepared = self._statement(statement)
        if self._postgres is not None:
            arguments = prepared.arguments(params or {})
            return await self._postgres.fetch(prepared.sql, arguments, prepared.rows)
        assert self._engine is not None
        self._sqlite_queries += 1
        if self._connection is None or self._connection.closed:
            self._connection = self._engine.connect()
        raw = self._connection.connection.dbapi_connection
        try:
            return prepared.run(raw, params or {})
        finally:
            # No snapshot outlives the read: the next poll sees the newest commit.
            raw.rollback()  # type: ignore[union-attr]

    @property
    def queries(self) -> int:
        """Reads the fast paths sent to the database (a cached poll sends none)."""
        return self._postgres.queries if self._postgres is not None else self._sqlite_queries

    @property
    def caching(self) -> bool:
        """Whether polls may be served from the cache now (PostgreSQL, listener connected)."""
        return self._postgres is not None and self._postgres.cache.live

    @property
    def listener_connections(self) -> int:
        """How often the listener has connected (PostgreSQL; 0 elsewhere)."""
        return self._postgres.listener.connections if self._postgres is not None else 0

    async def sync_log(self, log_id: str) -> Any:
        if not self._fast:
            async with self._sessions() as session:
                return await sync_logs.get_log(session, log_id)
        rows = await self._read(_GET_LOG, {"id": log_id})
        return rows[0] if rows else None

    async def sync_logs(
        self,
        channel_id: str,
        status: SyncStatus | None,
        first: int | None,
        after: str | None,
        count: bool,
    ) -> Page[Any]:
        if not self._fast:
            async with self._sessions() as session:
                return await sync_logs.list_logs(session, channel_id, status, first, after, count)
        size = check_page_size(first)
        params: dict[str, Any] = {"channel_id": channel_id, "limit": size + 1}
        if status is not None:
            params["status"] = status.value
        if after:
            params["after"] = decode_cursor(after)
        total = (await self._read(_COUNTS[status is not None], params))[0][0] if count else 0
        rows = await self._read(_PAGES[(status is not None, bool(after))], params)
        page = rows[:size]
        end = encode_cursor(page[-1].id) if page else None
        return Page(page, len(rows) > size, end, total)

    async def channels(self) -> list[Any]:
        if not self._fast:
            async with self._sessions() as session:
                return await channels.list_channels(session)
        return await self._read(_CHANNELS)

    async def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._engine is not None:
            self._engine.dispose()
        if self._postgres is not None:
            await self._postgres.close()
