"""The ceiling for polling: plain Strawberry on Starlette with its parser and validation caches,
answering the three polls with constant objects of the same shape and no database.

`uvicorn bench.poll_ceiling:app` serves it; bench.polling measures it beside the project.
"""

from datetime import UTC, datetime

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL
from strawberry.extensions import ParserCache, ValidationCache

MOMENT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


@strawberry.type
class SyncLog:
    id: strawberry.ID
    status: str
    pushed: int
    pulled: int
    skipped: int
    failed: int
    started_at: datetime
    completed_at: datetime | None


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class SyncLogConnection:
    nodes: list[SyncLog]
    page_info: PageInfo


@strawberry.type
class Channel:
    id: strawberry.ID
    name: str
    shop_domain: str


LOG = SyncLog(
    id=strawberry.ID("0192f0a1b2c3d4e5f60718293a4b5c6d"),
    status="RUNNING",
    pushed=1200,
    pulled=0,
    skipped=3,
    failed=0,
    started_at=MOMENT,
    completed_at=None,
)
CHANNELS = [Channel(id=strawberry.ID("c1"), name="Main store", shop_domain="a.myshopify.com")]


@strawberry.type
class Query:
    @strawberry.field
    async def sync_log(self, id: strawberry.ID) -> SyncLog | None:
        return LOG

    @strawberry.field
    async def sync_logs(
        self, channel_id: strawberry.ID, first: int | None = None
    ) -> SyncLogConnection:
        return SyncLogConnection(
            nodes=[LOG], page_info=PageInfo(has_next_page=True, end_cursor="x")
        )

    @strawberry.field
    async def channels(self) -> list[Channel]:
        return CHANNELS


schema = strawberry.Schema(query=Query, extensions=[ParserCache, ValidationCache])
app = Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["POST"])])
