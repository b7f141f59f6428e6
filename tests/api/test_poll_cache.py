"""Polls served from the process's cache (db.poll_cache) never show what a reader could know is
old: this process's commits at once; another process's at once on SQLite (PRAGMA data_version),
once notified on PostgreSQL, where there is no cache at all while the listener is down.
`polls.queries` counts the reads that reached the database."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy import event, text, update
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.util import await_only

from db.engine import create_engine, session_factory
from db.models import Channel, SyncLog
from db.poll_reads import PollReads
from tests.helpers.postgres import poll_listeners

TRIGGERS = {"sync_log_poll_notify", "channel_poll_notify"}


async def _until(check: Callable[[], Awaitable[bool]], timeout: float = 15.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.02)


@dataclass
class Polled:
    polls: PollReads
    engine: AsyncEngine  # the app's: its commits bump the cache
    log_id: str
    postgres: bool

    async def pushed(self) -> int:
        row = await self.polls.sync_log(self.log_id)
        assert row is not None
        return int(row.pushed)

    async def cached(self) -> None:
        """Wait for the listener (PostgreSQL) and for a repeated poll served from the cache, so
        that what the test shows next is the cache's doing."""

        async def repeated_poll_sends_nothing() -> bool:
            if not self.polls.caching:
                return False
            await self.pushed()
            before = self.polls.queries
            await self.pushed()
            return self.polls.queries == before

        await _until(repeated_poll_sends_nothing)


@contextlib.asynccontextmanager
async def _polled(database_url: str) -> AsyncIterator[Polled]:
    engine = create_engine(database_url)  # the fixture's database is migrated
    sessions = session_factory(engine)
    async with sessions() as session:
        channel = Channel(name="C", shop_domain="c.myshopify.com", catalog_ids=[])
        session.add(channel)
        await session.flush()
        log = SyncLog(channel_id=channel.id, direction="PUSH", status="RUNNING")
        session.add(log)
        await session.commit()
    postgres = make_url(database_url).get_backend_name() == "postgresql"
    polls = PollReads(database_url, sessions, engine)
    try:
        await polls.channels()  # opens the pool and starts the listener
        yield Polled(polls, engine, log.id, postgres)
    finally:
        await polls.close()
        await engine.dispose()


async def _set_pushed(engine: AsyncEngine, log_id: str, pushed: int) -> None:
    async with engine.begin() as connection:  # Core, as db.leases writes
        await connection.execute(
            update(SyncLog).where(SyncLog.id == log_id).values(pushed=pushed)  # type: ignore[arg-type]
        )


async def _notify_triggers(engine: AsyncEngine, enabled: bool) -> None:
    if engine.dialect.name != "postgresql":
        return
    async with engine.begin() as connection:
        for trigger in TRIGGERS:
            table = trigger.removesuffix("_poll_notify")
            verb = "ENABLE" if enabled else "DISABLE"
            await connection.execute(text(f"ALTER TABLE {table} {verb} TRIGGER {trigger}"))


async def test_a_commit_in_this_process_is_seen_by_the_next_poll(database_url: str) -> None:
    async with _polled(database_url) as p:
        # Without notifications only the process's own hook can make the next poll see it.
        await _notify_triggers(p.engine, enabled=False)
        await p.cached()
        sessions = session_factory(p.engine)
        async with sessions() as session:  # ORM
            row = await session.get(SyncLog, p.log_id)
            assert row is not None
            row.pushed = 1
            await session.commit()
        assert await p.pushed() == 1
        await p.cached()
        await _set_pushed(p.engine, p.log_id, 2)  # Core
        assert await p.pushed() == 2
        async with sessions() as session:
            session.add(Channel(name="New", shop_domain="n.myshopify.com", catalog_ids=[]))
            await session.commit()
        assert sorted(c.name for c in await p.polls.channels()) == ["C", "New"]


async def test_a_poll_while_a_commit_is_on_its_way_does_not_keep_the_old_row(
    database_url: str,
) -> None:
    async with _polled(database_url) as p:
        await _notify_triggers(p.engine, enabled=False)
        await p.cached()
        meanwhile: list[int] = []

        def poll_meanwhile(_connection: Connection) -> None:
            # SQLAlchemy's "commit" event comes before COMMIT is sent: this poll reads the old
            # row, and would cache it had the generation been bumped only here.
            if not meanwhile:
                meanwhile.append(await_only(p.pushed()))

        event.listen(p.engine.sync_engine, "commit", poll_meanwhile)
        try:
            await _set_pushed(p.engine, p.log_id, 5)
        finally:
            event.remove(p.engine.sync_engine, "commit", poll_meanwhile)
        assert meanwhile == [0]
        assert await p.pushed() == 5


async def test_another_process_commit_is_seen_at_once_or_once_notified(database_url: str) -> None:
    async with _polled(database_url) as p:
        other = create_engine(database_url)  # another process: its commits do not touch p's cache
        try:
            await p.cached()
            await _set_pushed(other, p.log_id, 7)
            if not p.postgres:  # the file's data_version moved: no notification to wait for
                assert await p.pushed() == 7

            async def seen() -> bool:
                return await p.pushed() == 7

            await _until(seen, timeout=10)
            before = p.polls.queries
            assert await p.pushed() == 7
            assert p.polls.queries == before, "nothing was written, yet the poll queried"

            assert [c.name for c in await p.polls.channels()] == ["C"]
            async with other.begin() as connection:
                await connection.execute(update(Channel).values(name="Renamed"))

            async def renamed() -> bool:
                return [c.name for c in await p.polls.channels()] == ["Renamed"]

            await _until(renamed, timeout=10)
        finally:
            await other.dispose()


async def _allow_connections(url: str, allowed: bool) -> None:
    name = make_url(url).database
    admin = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with admin.connect() as connection:
            value = "true" if allowed else "false"
            await connection.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {value}'))
    finally:
        await admin.dispose()


async def test_with_the_listener_down_every_poll_queries(postgres_url: str) -> None:
    async with _polled(postgres_url) as p:
        other = create_engine(postgres_url)
        try:
            await _set_pushed(other, p.log_id, 0)  # `other` holds a connection from now on
            await p.cached()  # pushed 0 in the cache
            # The listener cannot come back while new connections are refused (the pools keep
            # theirs), so what follows happens with the listener down.
            await _allow_connections(postgres_url, False)
            try:
                assert await poll_listeners(other, terminate=True) == 1

                async def down() -> bool:
                    return not p.polls.caching

                await _until(down)
                await _set_pushed(other, p.log_id, 3)  # notified to nobody
                before = p.polls.queries
                assert [await p.pushed(), await p.pushed()] == [3, 3]
                assert p.polls.queries == before + 2
            finally:
                await _allow_connections(postgres_url, True)

            async def up() -> bool:
                return p.polls.caching

            await _until(up)
            # The cached 0 is older than the missed notification: the reconnection voided it.
            assert await p.pushed() == 3
            assert p.polls.listener_connections == 2
            await _set_pushed(other, p.log_id, 4)

            async def seen() -> bool:
                return await p.pushed() == 4

            await _until(seen, timeout=10)
        finally:
            await other.dispose()


async def test_the_urls_connection_options_reach_the_polls_pool_and_listener(
    postgres_url: str,
) -> None:
    # Options of SQLAlchemy's asyncpg dialect in the query string: passed on as a libpq DSN,
    # asyncpg took `ssl` for a server setting and PostgreSQL refused every connection.
    url = f"{postgres_url}?ssl=disable&prepared_statement_cache_size=64"
    async with _polled(url) as p:
        await p.cached()  # the listener went live, and a repeated poll was served from memory
        assert await p.pushed() == 0
