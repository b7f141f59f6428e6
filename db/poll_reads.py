"""The reads a UI polls (one sync log, a channel's newest logs, the channels), one query each.

On SQLite, aiosqlite hands every step of a query (cursor, execute, fetch, close, rollback) to
its thread and back, and the ORM adds its identity map: together about 1 ms for a read that
SQLite answers in microseconds. Polls therefore run prepared Core statements on a
synchronous, read-only connection in the event loop's own thread. In WAL mode a reader never
waits for a writer (a sync running in the same process), so the loop is not held behind a
write. Rows are returned as SQLAlchemy Rows, which carry the model's column attributes.
On PostgreSQL the same prepared statements run on a small asyncpg pool of the poller's own,
outside SQLAlchemy's session and greenlet bridge (which cost about four times the query: 770
polls/s against the ceiling's 3,000 in bench.polling); asyncpg prepares each statement once per
connection and, outside a transaction, every read sees the newest commit.
Other databases use the ordinary async session and db/ functions.
"""

import asyncio
import json
from collections import namedtuple
from typing import Any

import asyncpg
from sqlalchemy import bindparam, event, func, select
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import Connection, Engine, make_url

from db import channels, sync_logs
from db.engine import SessionFactory
from db.enums import SyncStatus
from db.models import Channel, SyncLog
from db.pagination import Page, check_page_size, decode_cursor, encode_cursor

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


# Connections for polls: each read waits a round trip to the server process, which on a busy
# machine is scheduled late (ms); with 4 the API stopped at ~1,500 polls/s with its CPU idle.
POOL = 16


async def _as_it_is(_connection: Any) -> None:
    """Instead of asyncpg's reset on release (a round trip: advisory unlocks, CLOSE ALL,
    UNLISTEN, RESET ALL, which made a poll 366 us instead of 158): these connections only ever
    run the reads above, outside a transaction, so they leave nothing to reset."""


async def _json_codecs(connection: Any) -> None:
    # What SQLAlchemy's asyncpg dialect sets on its own connections: JSON columns decoded.
    for name in ("json", "jsonb"):
        await connection.set_type_codec(
            name, encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )


class _PostgresReader:
    """The prepared statements on an asyncpg pool of its own (created at the first read)."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self.dialect = url.get_dialect()()
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool: Any = None
        self._opening = asyncio.Lock()

    async def fetch(self, prepared: _Prepared, params: dict[str, Any]) -> list[Any]:
        if self._pool is None:
            async with self._opening:
                if self._pool is None:
                    self._pool = await asyncpg.create_pool(
                        self._dsn, min_size=1, max_size=POOL, init=_json_codecs, reset=_as_it_is
                    )
        async with self._pool.acquire() as connection:
            rows = await connection.fetch(prepared.sql, *prepared.arguments(params))
        return prepared.rows(rows)

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()


class PollReads:
    def __init__(self, database_url: str, sessions: SessionFactory) -> None:
        self._sessions = sessions
        self._engine = _sqlite_reader(database_url)
        postgres = make_url(database_url).get_backend_name() == "postgresql"
        self._postgres = _PostgresReader(database_url) if postgres else None
        self._dialect = (
            self._engine.dialect if self._engine else getattr(self._postgres, "dialect", None)
        )
        self._fast = self._engine is not None or self._postgres is not None
        self._connection: Connection | None = None
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
            return await self._postgres.fetch(prepared, params or {})
        assert self._engine is not None
        if self._connection is None or self._connection.closed:
            self._connection = self._engine.connect()
        raw = self._connection.connection.dbapi_connection
        try:
            return prepared.run(raw, params or {})
        finally:
            # No snapshot outlives the read: the next poll sees the newest commit.
            raw.rollback()  # type: ignore[union-attr]

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
