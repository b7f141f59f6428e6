"""The recorder writes counters and pending rows together, on a timer."""

import asyncio
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from db.enums import SyncDirection, SyncPhase
from db.leases import LeaseToken
from db.models import Channel, SyncLog
from db.sync_logs import start_run
from sync.recorder import Recorder


class Rows:
    """PendingWrites that writes nothing but remembers what was taken, written and given back."""

    def __init__(self, fail: bool = False) -> None:
        self.pending: list[int] = []
        self.written: list[int] = []
        self.fail = fail

    def take(self) -> list[int]:
        taken, self.pending = self.pending, []
        return taken

    async def write(self, session: AsyncSession, taken: list[int]) -> None:
        await asyncio.sleep(0.01)  # other tasks count meanwhile
        if self.fail:
            raise RuntimeError("database gone")
        self.written.extend(taken)

    def give_back(self, taken: list[int]) -> None:
        self.pending[:0] = taken


async def _log(sessions: Any) -> str:
    async with sessions() as session:
        channel = Channel(name="c", shop_domain="c.myshopify.com")
        session.add(channel)
        await session.commit()
        return (await start_run(session, channel.id, SyncDirection.PUSH, "test-owner")).id


async def _row(sessions: Any, log_id: str) -> SyncLog:
    async with sessions() as session:
        row = await session.get(SyncLog, log_id)
        assert row is not None
        return row


async def test_timer_flushes_counters_phase_and_total_without_being_asked(sessions: Any) -> None:
    log_id = await _log(sessions)
    recorder = Recorder(sessions, LeaseToken(log_id, 1), interval=0.05)
    recorder.start()
    recorder.count("pushed", 3)
    recorder.set_phase(SyncPhase.PUSHING)
    recorder.total = 10
    await asyncio.sleep(0.3)
    row = await _row(sessions, log_id)
    assert (row.pushed, row.phase, row.total) == (3, "PUSHING", 10)
    await recorder.stop()
    recorder.count("pushed")
    await asyncio.sleep(0.15)
    assert (await _row(sessions, log_id)).pushed == 3  # stopped: no more writes


async def test_counters_written_match_the_rows_written_with_them(sessions: Any) -> None:
    log_id = await _log(sessions)
    recorder = Recorder(sessions, LeaseToken(log_id, 1))
    rows = Rows()
    recorder.add_writer(rows)

    async def succeed(n: int) -> None:
        rows.pending.append(n)
        recorder.count("pushed")

    for n in range(5):
        await succeed(n)
    flushing = asyncio.create_task(recorder.flush())
    await asyncio.sleep(0)  # the flush has taken its batch and is writing it
    for n in range(5, 8):
        await succeed(n)
    await flushing
    assert rows.written == [0, 1, 2, 3, 4]
    assert (await _row(sessions, log_id)).pushed == 5  # not 8: 5..7 are not written yet
    await recorder.flush()
    assert rows.written == list(range(8))
    assert (await _row(sessions, log_id)).pushed == 8


async def test_a_failed_flush_keeps_its_rows_for_the_next(sessions: Any) -> None:
    log_id = await _log(sessions)
    recorder = Recorder(sessions, LeaseToken(log_id, 1))
    rows = Rows(fail=True)
    recorder.add_writer(rows)
    rows.pending.extend([1, 2])
    recorder.count("pushed", 2)
    with pytest.raises(RuntimeError):
        await recorder.flush()
    assert (await _row(sessions, log_id)).pushed == 0
    rows.fail = False
    rows.pending.append(3)
    recorder.count("pushed")
    await recorder.flush()
    assert rows.written == [1, 2, 3]
    assert (await _row(sessions, log_id)).pushed == 3


async def test_bulk_progress_shows_in_pushed_until_results_settle(sessions: Any) -> None:
    log_id = await _log(sessions)
    recorder = Recorder(sessions, LeaseToken(log_id, 1))
    recorder.bulk_progress("gid://shopify/BulkOperation/1", 40)
    recorder.bulk_progress("gid://shopify/BulkOperation/1", 30)  # never goes back
    await recorder.flush()
    row = await _row(sessions, log_id)
    assert (row.pushed, row.phase, row.bulk_operation_id) == (
        40,
        "WAITING_FOR_SHOPIFY",
        "gid://shopify/BulkOperation/1",
    )
    recorder.count("pushed")
    recorder.fail("rejected")
    await recorder.flush()
    row = await _row(sessions, log_id)
    assert (row.pushed, row.failed) == (39, 1)  # pushed + failed never went back


async def test_a_second_bulk_operation_shows_its_progress_while_the_first_is_read_back(
    sessions: Any,
) -> None:
    # Up to five bulk operations run at once: the first one's 50 lines, done on Shopify's side
    # but not yet read back, must not hide the second one's progress.
    log_id = await _log(sessions)
    recorder = Recorder(sessions, LeaseToken(log_id, 1))
    recorder.bulk_progress("gid://shopify/BulkOperation/1", 50)
    recorder.bulk_progress("gid://shopify/BulkOperation/2", 0)
    recorder.bulk_progress("gid://shopify/BulkOperation/2", 20)
    assert recorder.shown_counters()["pushed"] == 70
    recorder.count("pushed", 30)  # the first operation's results, read so far
    recorder.bulk_progress("gid://shopify/BulkOperation/2", 35)
    assert recorder.shown_counters()["pushed"] == 85
    recorder.count("pushed", 20)
    recorder.bulk_progress("gid://shopify/BulkOperation/1", 50)  # a late report adds nothing
    assert recorder.shown_counters()["pushed"] == 85
    recorder.count("pushed", 34)
    recorder.fail("rejected")
    await recorder.flush()
    row = await _row(sessions, log_id)
    assert (row.pushed, row.failed) == (84, 1)
    recorder.in_flight = 0
    assert recorder.shown_counters()["pushed"] == 84
