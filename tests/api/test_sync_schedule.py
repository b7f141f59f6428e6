"""syncSchedule over GraphQL/HTTP: saved with its next run time, refused with a userError that
names it (and nothing else written), removed with null."""

from datetime import UTC, datetime, timedelta

from db.clock import parse_iso
from tests.helpers.live import live_server

CREATE = """mutation($i: ChannelInput!) { channelCreate(input: $i) {
  channel { id syncSchedule nextSyncAt } userErrors { field message code } } }"""
UPDATE = """mutation($id: ID!, $i: ChannelInput!) { channelUpdate(id: $id, input: $i) {
  channel { name syncSchedule nextSyncAt } userErrors { field message code } } }"""
READ = "query($id: ID!) { channel(id: $id) { name syncSchedule nextSyncAt } }"
SHOP = "sched.myshopify.com"


async def test_a_schedule_is_saved_with_its_next_run_time(database_url: str) -> None:
    async with live_server(database_url) as api:
        before = datetime.now(UTC)
        body = await api.gql(
            CREATE, {"i": {"name": "S", "shopDomain": SHOP, "syncSchedule": " every  15M "}}
        )
        payload = body["data"]["channelCreate"]
        assert payload["userErrors"] == []
        channel = payload["channel"]
        assert channel["syncSchedule"] == "every 15m"
        next_at = parse_iso(channel["nextSyncAt"])
        assert before + timedelta(minutes=15) <= next_at + timedelta(seconds=1)
        assert next_at <= datetime.now(UTC) + timedelta(minutes=15)

        cron = await api.gql(UPDATE, {"id": channel["id"], "i": {"syncSchedule": "0 3 * * *"}})
        updated = cron["data"]["channelUpdate"]["channel"]
        assert updated["syncSchedule"] == "0 3 * * *"
        at = parse_iso(updated["nextSyncAt"])
        assert (at.hour, at.minute, at.second) == (3, 0, 0)
        assert timedelta(0) < at - datetime.now(UTC) <= timedelta(days=1)

        # Other changes keep the schedule as it was.
        renamed = await api.gql(UPDATE, {"id": channel["id"], "i": {"name": "T"}})
        assert renamed["data"]["channelUpdate"]["channel"]["nextSyncAt"] == updated["nextSyncAt"]

        removed = await api.gql(UPDATE, {"id": channel["id"], "i": {"syncSchedule": None}})
        assert removed["data"]["channelUpdate"]["channel"] == {
            "name": "T",
            "syncSchedule": None,
            "nextSyncAt": None,
        }


async def test_an_invalid_schedule_is_a_user_error_and_writes_nothing(database_url: str) -> None:
    async with live_server(database_url) as api:
        refused = await api.gql(
            CREATE, {"i": {"name": "S", "shopDomain": SHOP, "syncSchedule": "every 30s"}}
        )
        payload = refused["data"]["channelCreate"]
        assert payload["channel"] is None
        assert payload["userErrors"] == [
            {
                "field": ["syncSchedule"],
                "message": "syncSchedule 'every 30s' is not an interval: expected e.g. 'every 15m'",
                "code": "INVALID_SCHEDULE",
            }
        ]
        assert (await api.gql("{ channels { id } }"))["data"]["channels"] == []

        created = await api.gql(
            CREATE, {"i": {"name": "S", "shopDomain": SHOP, "syncSchedule": "every 1h"}}
        )
        channel = created["data"]["channelCreate"]["channel"]
        for text, problem in (
            ("0 0 30 2 *", "never fires"),
            ("*/5 * * * * *", "6 fields"),
            ("every 0m", "at least 1 minute"),
            ("", "empty"),
        ):
            body = await api.gql(
                UPDATE, {"id": channel["id"], "i": {"name": "X", "syncSchedule": text}}
            )
            result = body["data"]["channelUpdate"]
            assert result["channel"] is None
            [error] = result["userErrors"]
            assert error["field"] == ["syncSchedule"] and error["code"] == "INVALID_SCHEDULE"
            assert problem in error["message"], error
        unchanged = (await api.gql(READ, {"id": channel["id"]}))["data"]["channel"]
        assert unchanged == {
            "name": "S",
            "syncSchedule": "every 1h",
            "nextSyncAt": channel["nextSyncAt"],
        }
