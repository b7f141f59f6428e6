"""The Starlette application: /graphql (GraphiQL on GET), the REST routes and /healthz."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from db.engine import apply_migrations, create_engine, session_factory
from db.secret_box import SecretBox
from db.settings import Settings
from db.sync_logs import STALE, fail_stale_runs
from graph import rest
from graph.context import Context, make_loaders
from graph.guard import BodyTooLarge, Guard
from graph.schema import schema
from graph.services import Services
from sync.runner import Runner


class _GraphQL(GraphQL[Context, None]):
    def __init__(self, services: Services) -> None:
        super().__init__(schema, allow_queries_via_get=False, graphql_ide="graphiql")
        self.services = services

    async def get_context(self, request: Any, response: Any) -> Context:
        return Context(services=self.services, loaders=make_loaders(self.services.sessions))


async def healthz(_: Request) -> Response:
    return JSONResponse({"ok": True})


async def _too_large(_: Request, exc: Exception) -> Response:
    return rest.error(413, "PAYLOAD_TOO_LARGE", str(exc))


def create_app(settings: Settings, runner_options: dict[str, Any] | None = None) -> Guard:
    """The whole ASGI app; migrations run and interrupted runs are closed at startup."""
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    box = SecretBox(settings.secret_key)
    services = Services(
        settings=settings,
        sessions=sessions,
        box=box,
        runner=Runner(sessions, box, settings, **(runner_options or {})),
    )

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await apply_migrations(engine)
        async with sessions() as session:
            await fail_stale_runs(session)
        sweeper = asyncio.create_task(services.runner.sweep_stale_runs(STALE.total_seconds() / 2))
        try:
            yield
        finally:
            sweeper.cancel()
            await services.runner.shutdown()
            await engine.dispose()

    graphql = _GraphQL(services)
    app = Starlette(
        routes=[
            Route("/graphql", graphql, methods=["GET", "POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *rest.routes,
        ],
        lifespan=lifespan,
        exception_handlers={BodyTooLarge: _too_large},
    )
    app.state.services = services
    return Guard(app, settings.api_token)
