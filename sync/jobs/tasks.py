"""The run task a worker executes: a queued RUNNING log, or the successor its job continues."""

import asyncio
from typing import Any

import procrastinate
from procrastinate.job_context import JobContext

from db.engine import SessionFactory
from db.enums import SyncStatus
from db.run_handover import continue_run, current_log
from db.sync_logs import get_log
from sync.jobs.app import RUN_TASK
from sync.log_context import run_context
from sync.run_request import request_from_job
from sync.runner import Runner

SHUTDOWN = "the worker running this run shut down before it finished"
# A job handed back this many times (each time its worker was stopped mid-run) is given up.
MAX_ATTEMPTS = 5


class HandedBack(Exception):
    """The worker stopped mid-run: the job goes back to the queue, its successor log RUNNING."""


def register_run_task(
    app: procrastinate.App, runner: Runner, sessions: SessionFactory, worker: str
) -> None:
    retry = procrastinate.RetryStrategy(max_attempts=MAX_ATTEMPTS, retry_exceptions={HandedBack})

    @app.task(name=RUN_TASK, pass_context=True, retry=retry)
    async def run(
        context: JobContext,
        log_id: str,
        entity_ids: list[str] | None = None,
        targets: dict[str, Any] | None = None,
        reconcile: bool = False,
    ) -> None:
        job = context.job
        assert job.id is not None and job.lock is not None
        async with sessions() as session:
            current = await current_log(session, job.lock, log_id, job.id)
        if current is None or current.status != SyncStatus.RUNNING:
            return  # closed meanwhile (the stale sweep, a deleted channel): nothing to continue
        # Every record logged by the run carries its channel and log ids (sync.log_context).
        cancelled = await asyncio.create_task(
            runner.execute_queued(
                current.id, request_from_job(entity_ids, targets, reconcile), worker
            ),
            context=run_context(current.channel_id, current.id),
        )
        if not cancelled:
            return
        async with sessions() as session:
            ended = await get_log(session, current.id)
            successor = await continue_run(session, ended, job.id, SHUTDOWN) if ended else None
        if successor is not None:
            raise HandedBack(f"sync log {current.id} continues as {successor.id}")
