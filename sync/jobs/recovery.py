"""Runs of a worker that died (kill -9, a lost machine) are found by Procrastinate's worker
heartbeats and retried: the log they were writing ends FAILED, a successor continues."""

import logging

import procrastinate
from sqlalchemy import text

from db.engine import SessionFactory
from db.run_handover import continue_run, current_log
from sync.jobs.app import RUN_TASK

log = logging.getLogger("sigma.worker")

# Any 64-bit number of our own (db/engine.MIGRATION_LOCK is another).
RECOVERY_LOCK = 0x5349474D42
STALLED = "the worker running this run stopped sending heartbeats (no sign of life for {:g} s)"


async def recover_stalled(
    app: procrastinate.App, sessions: SessionFactory, stalled_after: float
) -> int:
    """Retries the run jobs whose worker has been silent `stalled_after` seconds; how many.
    One worker at a time: two reading the same stalled job would each hand its run over."""
    async with sessions() as guard:
        locked = await guard.execute(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": RECOVERY_LOCK}
        )
        if not locked.scalar():
            return 0
        # The lock lasts until this transaction ends, after every retry below.
        return await _retry_stalled(app, sessions, stalled_after)


async def _retry_stalled(
    app: procrastinate.App, sessions: SessionFactory, stalled_after: float
) -> int:
    stalled = await app.job_manager.get_stalled_jobs(
        task_name=RUN_TASK, seconds_since_heartbeat=stalled_after
    )
    retried = 0
    for job in stalled:
        assert job.id is not None
        log_id = str(job.task_kwargs.get("log_id", ""))
        if job.lock and log_id:
            async with sessions() as session:
                current = await current_log(session, job.lock, log_id, job.id)
                if current is not None:
                    await continue_run(session, current, job.id, STALLED.format(stalled_after))
        try:
            await app.job_manager.retry_job(job)
        except Exception:  # another worker's recovery retried it first
            log.info("stalled job %s was already retried", job.id)
            continue
        retried += 1
        log.warning("retried stalled sync job %s (first sync log %s)", job.id, log_id)
    return retried
