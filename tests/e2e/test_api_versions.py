"""API versions through the API: refusals, the end-of-support warning and testConnection."""

from datetime import UTC, datetime

from sync.shopify import versions
from tests.helpers.stack import stack

CHANNEL = """query($id: ID!) { channel(id: $id) { apiVersion apiVersionWarning } }"""
UPDATE = """mutation($id: ID!, $i: ChannelInput!) { channelUpdate(id: $id, input: $i) {
  channel { apiVersion apiVersionWarning } userErrors { field message code } } }"""
TEST = "mutation($c: ID!) { testConnection(channelId: $c) { ok message } }"


async def test_old_versions_are_refused_and_near_ends_are_flagged(database_url: str) -> None:
    today = datetime.now(UTC).date()
    async with stack(database_url) as s:
        channel = (await s.api.gql(CHANNEL, {"id": s.channel_id}))["data"]["channel"]
        assert channel["apiVersion"] == "2026-10"
        assert channel["apiVersionWarning"] == versions.warning("2026-10", today)

        refused = (await s.api.gql(UPDATE, {"id": s.channel_id, "i": {"apiVersion": "2025-01"}}))[
            "data"
        ]["channelUpdate"]
        assert refused["channel"] is None
        [error] = refused["userErrors"]
        assert error["field"] == ["apiVersion"] and "2025-04" in error["message"]

        # The oldest version Shopify still serves is always within ~3 months of its end.
        oldest = versions.oldest_supported(today).name
        pinned = (await s.api.gql(UPDATE, {"id": s.channel_id, "i": {"apiVersion": oldest}}))[
            "data"
        ]["channelUpdate"]
        assert pinned["userErrors"] == []
        assert pinned["channel"]["apiVersion"] == oldest
        expected = versions.warning(oldest, today)
        assert pinned["channel"]["apiVersionWarning"] == expected
        tested = (await s.api.gql(TEST, {"c": s.channel_id}))["data"]["testConnection"]
        assert tested["ok"] is True
        if expected:
            assert expected in tested["message"] and "Connected to" in tested["message"]

        await s.set_channel(apiVersion="2025-04")  # retired since 2026-04-01: always flagged
        channel = (await s.api.gql(CHANNEL, {"id": s.channel_id}))["data"]["channel"]
        assert "no longer supported" in channel["apiVersionWarning"]
        tested = (await s.api.gql(TEST, {"c": s.channel_id}))["data"]["testConnection"]
        assert "no longer supported" in tested["message"]


async def test_a_fall_forward_is_recorded_in_the_run_and_test_connection(
    database_url: str,
) -> None:
    today = datetime.now(UTC).date()
    served = versions.served_version("2025-04", today)  # retired since 2026-04-01
    assert served != "2025-04"
    async with stack(database_url) as s:
        entity_id = await s.create_entity(name="Mug", sku="MUG-1", price="12.50")
        await s.set_channel(apiVersion="2025-04")
        tested = (await s.api.gql(TEST, {"c": s.channel_id}))["data"]["testConnection"]
        assert f"Shopify answered with API version {served}, not 2025-04" in tested["message"]
        log = (await s.run("push"))["syncLog"]
        assert log["status"] == "SUCCESS", log
        assert log["details"]["apiVersionServed"] == served

        await s.set_channel(apiVersion="2026-10")
        await s.update_entity(entity_id, price="13.00")
        log = (await s.run("push"))["syncLog"]
        assert log["pushed"] == 1 and log["details"]["shopify"]["requests"] > 0, log
        assert "apiVersionServed" not in log["details"]
