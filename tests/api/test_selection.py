"""`totalCount` is counted when an operation asks for it, however it asks (graph.selection)."""

from db.engine import create_engine, session_factory
from db.models import Channel, SyncLog
from tests.helpers.live import live_server

SHAPES = {
    "direct": "query($c: ID!) { syncLogs(channelId: $c, first: 1) { totalCount } }",
    "inline fragment": (
        "query($c: ID!) { syncLogs(channelId: $c, first: 1) "
        "{ ... on SyncLogConnection { totalCount } } }"
    ),
    "named fragment": (
        "query($c: ID!) { syncLogs(channelId: $c, first: 1) { ...Page } } "
        "fragment Page on SyncLogConnection { nodes { id } ...Count } "
        "fragment Count on SyncLogConnection { totalCount }"
    ),
}


async def test_total_count_through_fields_and_fragments(database_url: str) -> None:
    engine = create_engine(database_url)
    async with session_factory(engine)() as session:
        channel = Channel(name="S", shop_domain="s.myshopify.com")
        session.add(channel)
        await session.commit()
        for n in range(3):
            session.add(
                SyncLog(channel_id=channel.id, direction="PUSH", status="SUCCESS", pushed=n)
            )
        await session.commit()
    await engine.dispose()
    async with live_server(database_url) as api:
        for shape, query in SHAPES.items():
            body = await api.gql(query, {"c": channel.id})
            assert "errors" not in body, (shape, body)
            assert body["data"]["syncLogs"]["totalCount"] == 3, shape
