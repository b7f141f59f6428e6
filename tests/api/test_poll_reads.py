"""The polls' fast read path returns what the ORM path returns, and never a stale snapshot."""

from datetime import timedelta

from db import channels, sync_logs
from db.clock import utcnow
from db.engine import apply_migrations, create_engine, session_factory
from db.enums import SyncStatus
from db.models import Channel, SyncLog
from db.poll_reads import PollReads

COLUMNS = ["id", "channel_id", "direction", "status", "started_at", "completed_at", "pushed",
           "pulled", "skipped", "failed", "errors", "details"]  # fmt: skip


def _same(fast: object, orm: object, columns: list[str]) -> None:
    for column in columns:
        assert getattr(fast, column) == getattr(orm, column), column


async def test_fast_reads_match_the_orm_and_see_new_commits(database_url: str) -> None:
    engine = create_engine(database_url)
    await apply_migrations(engine)
    sessions = session_factory(engine)
    polls = PollReads(database_url, sessions, engine)
    async with sessions() as session:
        channel = Channel(name="S", shop_domain="s.myshopify.com", catalog_ids=["c1"])
        session.add(channel)
        await session.commit()
        start = utcnow() - timedelta(days=1)
        for n in range(5):
            session.add(
                SyncLog(
                    channel_id=channel.id,
                    direction="PUSH",
                    status="SUCCESS" if n % 2 else "FAILED",
                    started_at=start + timedelta(minutes=n),
                    completed_at=start + timedelta(minutes=n + 1),
                    pushed=n,
                    errors=[{"entityId": "e", "externalId": None, "message": f"m{n}"}],
                    details={"n": n},
                )
            )
        await session.commit()
    try:
        for status in (None, SyncStatus.SUCCESS):
            fast = await polls.sync_logs(channel.id, status, 2, None, count=True)
            async with sessions() as session:
                orm = await sync_logs.list_logs(session, channel.id, status, 2, None)
            assert (fast.has_next_page, fast.end_cursor, fast.total_count) == (
                orm.has_next_page, orm.end_cursor, orm.total_count
            )  # fmt: skip
            for a, b in zip(fast.items, orm.items, strict=True):
                _same(a, b, COLUMNS)
            after = await polls.sync_logs(channel.id, status, 2, fast.end_cursor, count=False)
            async with sessions() as session:
                orm_after = await sync_logs.list_logs(
                    session, channel.id, status, 2, orm.end_cursor
                )
            assert [r.id for r in after.items] == [r.id for r in orm_after.items]
            assert after.total_count == 0  # not asked for
        one = await polls.sync_log(orm.items[0].id)
        _same(one, orm.items[0], COLUMNS)
        assert await polls.sync_log("missing") is None
        listed = await polls.channels()
        async with sessions() as session:
            orm_channels = await channels.list_channels(session)
        _same(listed[0], orm_channels[0], ["id", "name", "shop_domain", "catalog_ids",
                                           "field_mappings", "created_at"])  # fmt: skip
        # A commit after a read is visible to the next read: no snapshot is held open.
        async with sessions() as session:
            row = await session.get(SyncLog, orm.items[0].id)
            assert row is not None
            row.pushed = 999
            await session.commit()
        again = await polls.sync_log(orm.items[0].id)
        assert again is not None and again.pushed == 999
    finally:
        await polls.close()
        await engine.dispose()


async def test_polls_on_sqlite_files_and_postgresql_need_no_orm_session(database_url: str) -> None:
    # Both have a fast path (prepared statements outside the ORM): a session is never opened.
    engine = create_engine(database_url)
    await apply_migrations(engine)

    def no_session() -> object:
        raise AssertionError("a poll opened an ORM session")

    polls = PollReads(database_url, no_session, engine)  # type: ignore[arg-type]
    try:
        assert await polls.channels() == []
        assert await polls.sync_log("missing") is None
        page = await polls.sync_logs("none", None, 1, None, count=True)
        assert (page.items, page.total_count) == ([], 0)
    finally:
        await polls.close()
        await engine.dispose()
