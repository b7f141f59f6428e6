"""The per-channel run lock and the recovery of runs whose process died."""

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.clock import utcnow
from db.engine import apply_migrations, create_engine, session_factory
from db.enums import SyncDirection, SyncStatus
from db.errors import SyncInProgress
from db.models import Channel, SyncLog
from db.sync_logs import start_run
from tests.helpers.live import live_server


async def _channel(database_url: str) -> tuple[str, AsyncEngine]:
    engine = create_engine(database_url)
    await apply_migrations(engine)
    sessions = session_factory(engine)
    async with sessions() as session:
        channel = Channel(name="Lock", shop_domain="lock.myshopify.com")
        session.add(channel)
        await session.commit()
    return channel.id, engine


async def test_one_running_log_per_channel_across_processes(database_url: str) -> None:
    channel_id, engine = await _channel(database_url)
    # Two engines stand for two server processes sharing the database.
    other = create_engine(database_url)
    try:
        async with session_factory(engine)() as first:
            running = await start_run(first, channel_id, SyncDirection.PUSH, "first")
        async with session_factory(other)() as second:
            with pytest.raises(SyncInProgress) as refused:
                await start_run(second, channel_id, SyncDirection.PULL, "second")
        assert refused.value.running.id == running.id
    finally:
        await other.dispose()
        await engine.dispose()


async def test_a_dead_process_run_is_failed_and_no_longer_blocks(database_url: str) -> None:
    channel_id, engine = await _channel(database_url)
    async with session_factory(engine)() as session:
        dead = SyncLog(
            channel_id=channel_id,
            direction="PUSH",
            started_at=utcnow() - timedelta(minutes=10),
            heartbeat_at=utcnow() - timedelta(minutes=9),
        )
        session.add(dead)
        await session.commit()
    await engine.dispose()
    async with live_server(database_url) as api:
        body = await api.gql(
            "query($id: ID!) { syncLog(id: $id) { status completedAt errors { message } } }",
            {"id": dead.id},
        )
        log = body["data"]["syncLog"]
        assert log["status"] == SyncStatus.FAILED.value
        assert log["completedAt"] is not None
        assert "interrupted" in log["errors"][0]["message"]
