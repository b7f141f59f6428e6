"""The checked-in schema.graphql, the migrations and the REST reads match the code."""

from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import event
from sqlmodel import SQLModel

import db.models  # noqa: F401  (registers the tables)
from db.engine import apply_migrations, create_engine
from db.entities import insert_entities
from db.job_schema import include_name
from db.models import Entity
from graph.schema import schema
from tests.helpers.api_samples import CATALOG, CHANNEL, make_schema
from tests.helpers.live import live_server

ROOT = Path(__file__).resolve().parents[2]


def test_schema_graphql_is_current() -> None:
    checked_in = (ROOT / "schema.graphql").read_text().strip()
    assert checked_in == schema.as_str().strip(), (
        "schema.graphql drifted: run "
        "`strawberry export-schema graph.schema:schema > schema.graphql`"
    )


async def test_migrations_create_exactly_the_models(database_url: str) -> None:
    engine = create_engine(database_url)
    await apply_migrations(engine)

    def diff(connection: Any) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"include_name": include_name})
        return list(compare_metadata(context, SQLModel.metadata))

    async with engine.connect() as connection:
        differences = await connection.run_sync(diff)
    await engine.dispose()
    assert differences == []


async def test_a_page_of_250_entities_costs_a_constant_number_of_queries(database_url: str) -> None:
    # The scheduled-sync loop shares the engine: keep its poll out of the counted window.
    async with live_server(database_url, schedule={"schedule_interval": 3600}) as api:
        schema_id = await make_schema(api.gql)
        catalog = (await api.gql(CATALOG, {"name": "All"}))["data"]["catalogCreate"]["catalog"]
        # Seeded straight into the database: the page read is what is measured, not 260
        # entityCreate round trips.
        seeded = [Entity(schema_id=schema_id, attributes={"name": f"Item {n}"}) for n in range(260)]
        sessions = api.app.app.state.services.sessions
        async with sessions() as session:
            await insert_entities(session, seeded, catalog["id"])
            await session.commit()
        engine = sessions.kw["bind"]
        statements: list[str] = []

        def count(*args: Any) -> None:
            statements.append(str(args[2]))

        event.listen(engine.sync_engine, "before_cursor_execute", count)
        try:
            body = await api.gql(
                "{ entities(first: 250) { totalCount nodes { id catalogIds schema { name } } "
                "pageInfo { hasNextPage endCursor } } }"
            )
        finally:
            event.remove(engine.sync_engine, "before_cursor_execute", count)
        page = body["data"]["entities"]
        assert len(page["nodes"]) == 250 and page["pageInfo"]["hasNextPage"] is True
        assert all(node["catalogIds"] == [catalog["id"]] for node in page["nodes"])
        # count + page + one batch of catalog ids + one batch of schemas
        assert len(statements) == 4, statements


async def test_rest_reads_return_the_seed_shapes(database_url: str) -> None:
    async with live_server(database_url) as api:
        created = await api.gql(
            CHANNEL, {"input": {"name": "S", "shopDomain": "s.myshopify.com", "accessToken": "t"}}
        )
        channel_id = created["data"]["channelCreate"]["channel"]["id"]
        logs = await api.client.get(f"/channels/{channel_id}/sync-logs")
        assert logs.status_code == 200 and logs.json() == []
        mappings = await api.client.get(f"/channels/{channel_id}/sync-mappings")
        assert mappings.status_code == 200 and mappings.json() == []
        missing = await api.client.get("/channels/nope/sync-logs")
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "NOT_FOUND"
        bad = await api.client.get(f"/channels/{channel_id}/sync-mappings?limit=0")
        assert bad.status_code == 422
