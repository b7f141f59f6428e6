"""`sigma worker`: executes queued runs, retries those of workers that died, and ticks the
fleet's schedules (sync.jobs.periodic)."""

import asyncio
import logging
import os
import socket
from dataclasses import dataclass

import procrastinate

from db.engine import SessionFactory, create_engine, session_factory
from db.secret_box import SecretBox
from db.settings import Settings
from sync.connection_check import ClientFactory
from sync.jobs.app import job_app
from sync.jobs.periodic import register_tick
from sync.jobs.queue import ProcrastinateQueue
from sync.jobs.recovery import recover_stalled
from sync.jobs.tasks import register_run_task
from sync.run import RunOptions
from sync.runner import DEFAULT_OPTIONS, Runner
from sync.schedules import reconcile_interval
from sync.shopify.client import ShopifyClient

log = logging.getLogger("sigma.worker")


@dataclass(frozen=True)
class WorkerOptions:
    # runs executed at once by this process
    concurrency: int = 4
    # Procrastinate's worker heartbeat; a worker silent `stalled_after` seconds is taken for dead
    heartbeat: float = 10.0
    stalled_after: float = 30.0
    # on SIGTERM: how long running runs may take to finish before they are handed back
    shutdown_timeout: float = 60.0
    # how often the fleet looks for due schedules and leftover webhook events (divides 60)
    tick_seconds: int = 5
    run_options: RunOptions = DEFAULT_OPTIONS


async def _recover_periodically(
    app: procrastinate.App, sessions: SessionFactory, options: WorkerOptions
) -> None:
    # In the worker process rather than as a queued job, so that recovery runs even while every
    # slot of every worker is taken by a long run.
    while True:
        await asyncio.sleep(options.heartbeat)
        try:
            await recover_stalled(app, sessions, options.stalled_after)
        except Exception:
            log.warning("could not look for stalled sync jobs", exc_info=True)


async def run_worker(
    settings: Settings, options: WorkerOptions, client_factory: ClientFactory = ShopifyClient
) -> None:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    name = f"{socket.gethostname()}:{os.getpid()}"
    app = job_app(settings.database_url, options.concurrency + 2)
    # The queue is for the runs this worker starts (schedules, leftover webhook events): they
    # go to the fleet like the API's, not into this process.
    runner = Runner(
        sessions,
        SecretBox(settings.secret_key),
        settings,
        client_factory,
        options.run_options,
        queue=ProcrastinateQueue(app),
    )
    register_run_task(app, runner, sessions, name)
    register_tick(
        app, sessions, runner, reconcile_interval(settings.reconcile_hours), options.tick_seconds
    )
    # No schema is parsed here: the client's documents were validated ahead of time
    # (sync.shopify.validated_documents), so a run does not parse Shopify's schema either.
    async with app.open_async():
        recovery = asyncio.create_task(_recover_periodically(app, sessions, options))
        try:
            log.info("worker %s takes up to %d runs at once", name, options.concurrency)
            await app.run_worker_async(
                name=name,
                concurrency=options.concurrency,
                update_heartbeat_interval=options.heartbeat,
                stalled_worker_timeout=options.stalled_after,
                shutdown_graceful_timeout=options.shutdown_timeout,
                # The sync logs are the record of runs; finished job rows would only pile up.
                delete_jobs="successful",
            )
        finally:
            recovery.cancel()
            await engine.dispose()
