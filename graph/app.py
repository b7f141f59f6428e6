"""The Starlette application: /graphql (GraphiQL on GET), the REST routes, /healthz and /readyz."""

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db.clock import utcnow
from db.engine import apply_migrations, create_engine, session_factory
from db.poll_reads import PollReads
from db.secret_box import SecretBox
from db.settings import RunMode, Settings, load_settings
from graph import health, rest
from graph.collector import server_collector
from graph.error_codes import INTERNAL_ERROR, PAYLOAD_TOO_LARGE
from graph.guard import BodyTooLarge, Guard, request_id
from graph.http_graphql import GraphQLEndpoint
from graph.logging_setup import install_redaction
from graph.openapi import openapi
from graph.schema import schema
from graph.services import Services
from graph.webhooks import shopify_webhook
from sync.jobs.app import job_app
from sync.jobs.queue import ProcrastinateQueue
from sync.runner import Runner
from sync.schedules import fire_forever, reconcile_interval, runner_start
from sync.stale_runs import release_dead_runs, sweep_stale_runs
from sync.webhook_drain import Debouncer, drain_channel

# How often the embedded server looks for due scheduled syncs: schedules have minute precision.
SCHEDULE_INTERVAL = 5.0


async def _too_large(_: Request, exc: Exception) -> Response:
    return rest.error(413, PAYLOAD_TOO_LARGE, str(exc))


async def _unexpected(request: Request, _: Exception) -> Response:
    # Starlette answers with this, then re-raises to Guard, which logs the traceback once.
    rid = request_id(request.scope)
    return rest.error(500, INTERNAL_ERROR, "Unexpected error.", requestId=rid)


def create_app(
    settings: Settings,
    runner_options: dict[str, Any] | None = None,
    schedule_interval: float = SCHEDULE_INTERVAL,
    clock: Callable[[], datetime] = utcnow,
) -> Guard:
    """The whole ASGI app; migrations run and interrupted runs are closed at startup.

    `schedule_interval` and `clock` drive the scheduled-sync loop (tests move the clock)."""
    install_redaction()
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    box = SecretBox(settings.secret_key)
    # With a queue, this process only enqueues runs; `sigma worker` processes execute them.
    jobs = job_app(settings.database_url, 4) if settings.run_mode == RunMode.QUEUE else None
    queue = ProcrastinateQueue(jobs) if jobs is not None else None
    runner = Runner(sessions, box, settings, **(runner_options or {}), queue=queue)

    async def drain(channel_id: str) -> bool:
        drained, _ = await drain_channel(channel_id, sessions, runner)
        return drained

    services = Services(
        settings=settings,
        sessions=sessions,
        box=box,
        runner=runner,
        polls=PollReads(settings.database_url, sessions, engine),
        webhooks=Debouncer(drain, settings.webhook_debounce),
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await apply_migrations(engine)
        # Runs left RUNNING by a crashed process of this host end now, not a lease later.
        await release_dead_runs(sessions, services.runner.owner)
        # No Shopify schema is built here: runs send documents validated ahead of time
        # (sync.shopify.validated_documents) and never parse it, which keeps ~70 MB out of
        # the process.
        async with AsyncExitStack() as stack:
            stack.enter_context(server_collector())
            # Open before the scheduler starts: a due schedule may enqueue at once.
            if jobs is not None:
                await stack.enter_async_context(jobs.open_async())
            sweeper = asyncio.create_task(
                sweep_stale_runs(sessions, services.runner.owner, settings.run_lease / 2)
            )
            # With a queue, the workers' periodic task fires schedules (sync.jobs.periodic).
            scheduler = (
                None
                if jobs is not None
                else asyncio.create_task(
                    fire_forever(
                        sessions,
                        runner_start(services.runner),
                        schedule_interval,
                        clock,
                        reconcile_interval(settings.reconcile_hours),
                    )
                )
            )
            await services.webhooks.resume(sessions)
            try:
                yield
            finally:
                sweeper.cancel()
                if scheduler is not None:
                    scheduler.cancel()
                await services.webhooks.close()
                await services.runner.shutdown()
                await engine.dispose()
                await services.polls.close()

    graphql = GraphQLEndpoint(schema, services)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *health.routes,
            Route("/openapi.json", openapi, methods=["GET"]),
            Route("/webhooks/shopify", shopify_webhook, methods=["POST"]),
            *rest.routes,
        ],
        lifespan=lifespan,
        exception_handlers={BodyTooLarge: _too_large, Exception: _unexpected},
    )
    app.state.services = services
    app.state.engine = engine
    return Guard(app, settings.api_token)


def app_from_environment() -> Guard:
    """Factory for `uvicorn --factory` / `sigma serve --workers N`: each worker builds its app."""
    return create_app(load_settings())
