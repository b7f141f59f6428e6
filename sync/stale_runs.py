"""Closing the runs of processes that died or stalled, so they stop blocking their channel."""

import asyncio
import logging

from db.engine import SessionFactory
from db.leases import fail_expired, release_orphans
from db.process_owner import ProcessOwner

log = logging.getLogger("sigma.sync")


async def release_dead_runs(sessions: SessionFactory, owner: ProcessOwner) -> None:
    """Fail at once the runs of this host's dead processes (a restart after a crash), and any
    run whose lease ran out."""
    async with sessions() as session:
        released = await release_orphans(session, owner)
        await fail_expired(session)
    for log_id in released:
        log.warning("sync run %s failed: the process that ran it no longer exists", log_id)


async def sweep_stale_runs(sessions: SessionFactory, owner: ProcessOwner, interval: float) -> None:
    while True:
        await asyncio.sleep(interval)
        try:
            await release_dead_runs(sessions, owner)
        except Exception:
            log.warning("could not close stale sync runs", exc_info=True)
