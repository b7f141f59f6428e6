"""The reads a UI polls (one sync log, a channel's newest logs, the channels): at most one
query each, and none while nothing has changed.

They run prepared Core statements outside the ORM and its session: on SQLite on a synchronous,
read-only connection in the event loop's thread (db.poll_sqlite), on PostgreSQL on a small
asyncpg pool of their own (db.poll_postgres). Either keeps the rows it read in the process
(db.poll_cache) and serves them again while nothing has committed since: on SQLite any commit,
of any process, is visible to the next poll; on PostgreSQL a commit through this process's
engine is visible to the next poll, another process's once PostgreSQL has delivered its
notification (migration 0013's triggers), and while the listener is not connected every poll
queries. Rows are named tuples of the model's columns, their values converted by the columns'
SQLAlchemy types as the ORM would; cached rows are shared between requests: never change them.
Other databases (and in-memory SQLite) use the ordinary async session and db/ functions.
"""

from collections import namedtuple
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from db import channels, sync_logs
from db.engine import SessionFactory
from db.enums import SyncStatus
from db.models import Channel, SyncLog
from db.pagination import Page, check_page_size, decode_cursor, encode_cursor
from db.poll_postgres import PostgresPolls
from db.poll_sqlite import SqlitePolls, sqlite_reader

_LOG = SyncLog.__table__  # type: ignore[attr-defined]
_CHANNEL = Channel.__table__  # type: ignore[attr-defined]
_GET_LOG = select(_LOG).where(_LOG.c.id == bindparam("id"))
_CHANNELS = select(_CHANNEL).order_by(_CHANNEL.c.id)


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
    """A statement compiled once for the database's dialect, run on a raw DBAPI connection.

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


def _reader(database_url: str, engine: AsyncEngine) -> SqlitePolls | PostgresPolls | None:
    sqlite = sqlite_reader(database_url)
    if sqlite is not None:
        return SqlitePolls(sqlite)
    if make_url(database_url).get_backend_name() == "postgresql":
        return PostgresPolls(database_url, engine)
    return None


class PollReads:
    def __init__(self, database_url: str, sessions: SessionFactory, engine: AsyncEngine) -> None:
        """`engine` is the app's: on PostgreSQL its commits invalidate the cached rows."""
        self._sessions = sessions
        self._reader = _reader(database_url, engine)
        # Keyed by id() of the module-level statements above, which live as long as the process.
        self._prepared: dict[int, _Prepared] = {}

    def _statement(self, statement: Any) -> _Prepared:
        prepared = self._prepared.get(id(statement))
        if prepared is None:
            assert self._reader is not None
            prepared = _Prepared(statement, self._reader.dialect)
            self._prepared[id(statement)] = prepared
        return prepared

    async def _read(self, statement: Any, params: dict[str, Any] | None = None) -> list[Any]:
        assert self._reader is not None
        prepared = self._statement(statement)
        arguments = prepared.arguments(params or {})
        return await self._reader.fetch(prepared.sql, arguments, prepared.rows)

    @property
    def queries(self) -> int:
        """Reads the fast paths sent to the database (a cached poll sends none)."""
        return self._reader.queries if self._reader is not None else 0

    @property
    def caching(self) -> bool:
        """Whether polls may be served from the cache now: on SQLite always, on PostgreSQL
        while the listener is connected."""
        if isinstance(self._reader, PostgresPolls):
            return self._reader.cache.live
        return self._reader is not None

    @property
    def listener_connections(self) -> int:
        """How often the PostgreSQL listener has connected (0 elsewhere)."""
        return self._reader.listener.connections if isinstance(self._reader, PostgresPolls) else 0

    async def sync_log(self, log_id: str) -> Any:
        if self._reader is None:
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
        if self._reader is None:
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
        if self._reader is None:
            async with self._sessions() as session:
                return await channels.list_channels(session)
        return await self._read(_CHANNELS)

    async def close(self) -> None:
        if self._reader is not None:
            await self._reader.close()
