"""A worker's run that died continues as a successor log (db/run_handover.py)."""

import pytest

from db.engine import SessionFactory
from db.enums import SyncDirection, SyncStatus
from db.leases import INTERRUPTED, LeaseLost, LeaseToken
from db.models import Channel
from db.run_handover import QUEUE_OWNER, QUEUED_LEASE, continue_run, current_log
from db.sync_logs import finish_run, get_log, start_run


async def test_a_running_log_ends_failed_and_names_its_successor(sessions: SessionFactory) -> None:
    async with sessions() as session:
        channel = Channel(name="Handover", shop_domain="h.myshopify.com")
        session.add(channel)
        await session.commit()
        first = await start_run(session, channel.id, SyncDirection.PUSH, QUEUE_OWNER, QUEUED_LEASE)
        successor = await continue_run(session, first, 7, "the worker died")
    assert successor is not None
    async with sessions() as session:
        old = await get_log(session, first.id)
        assert old is not None and old.status == SyncStatus.FAILED
        assert old.errors[0]["message"] == (
            f"the worker died; the run continues as sync log {successor.id}"
        )
        new = await get_log(session, successor.id)
        assert new is not None and new.status == SyncStatus.RUNNING
        assert new.direction == SyncDirection.PUSH
        assert new.details == {"retryOf": first.id, "jobId": 7}
        assert new.lease_owner == QUEUE_OWNER
        # The job's current log is the successor; continuing the old one again does nothing.
        found = await current_log(session, channel.id, first.id, 7)
        assert found is not None and found.id == successor.id
        assert await continue_run(session, old, 7, "again") is None
        # A finished run is final: a late write of the old holder does not rewrite it.
        with pytest.raises(LeaseLost):
            token = LeaseToken(first.id, first.lease_epoch)
            await finish_run(session, token, SyncStatus.SUCCESS, {"pushed": 5}, [], {})
        await session.rollback()
        unchanged = await get_log(session, first.id)
        assert unchanged is not None and unchanged.status == SyncStatus.FAILED
        assert unchanged.pushed == 0


async def test_a_log_closed_by_the_stale_sweep_continues_but_a_success_does_not(
    sessions: SessionFactory,
) -> None:
    async with sessions() as session:
        channel = Channel(name="Handover", shop_domain="h.myshopify.com")
        session.add(channel)
        await session.commit()
        swept = await start_run(session, channel.id, SyncDirection.PULL, QUEUE_OWNER, QUEUED_LEASE)
        await finish_run(
            session,
            LeaseToken(swept.id, swept.lease_epoch),
            SyncStatus.FAILED,
            {},
            [{"message": INTERRUPTED}],
            {},
        )
        closed = await get_log(session, swept.id)
        assert closed is not None
        successor = await continue_run(session, closed, 3, "the worker died")
        assert successor is not None
        token = LeaseToken(successor.id, successor.lease_epoch)
        await finish_run(session, token, SyncStatus.SUCCESS, {}, [], {})
        done = await get_log(session, successor.id)
        assert done is not None
        assert await continue_run(session, done, 3, "the worker died") is None
