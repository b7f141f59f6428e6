"""Push, pull and connection tests: API server and emulator both really listening."""

from datetime import UTC, datetime, timedelta

from emulator.clock import Clock
from tests.helpers.stack import SHOP_TOKEN, stack


def _titles(emulator: object) -> list[str]:
    return sorted(p.title for p in emulator.store.products.values())  # type: ignore[attr-defined]


async def test_connection_good_bad_token_and_unreachable(database_url: str) -> None:
    async with stack(database_url) as s:
        ok = await s.api.client.post(f"/channels/{s.channel_id}/test-connection")
        body = ok.json()
        assert body["ok"] is True, body
        assert body["shop"]["myshopifyDomain"] == "e2e-store.myshopify.com"
        assert body["shop"]["currencyCode"]

        await s.set_channel(accessToken="shpat_wrong")
        bad = await s.api.gql(
            "mutation($c: ID!) { testConnection(channelId: $c) { ok message shop { name } } }",
            {"c": s.channel_id},
        )
        result = bad["data"]["testConnection"]
        assert result["ok"] is False and "401" in result["message"]
        assert "shpat_wrong" not in str(bad) and SHOP_TOKEN not in str(bad)


async def test_unknown_shop_and_timeout_are_clear_failures(database_url: str) -> None:
    async with stack(database_url, runner={"connection_test_timeout": 0.3}) as s:
        await s.set_channel(shopDomain="no-such-shop.myshopify.com")
        unknown = (await s.api.client.post(f"/channels/{s.channel_id}/test-connection")).json()
        assert unknown["ok"] is False
        assert "no store at no-such-shop.myshopify.com" in unknown["message"], unknown
        await s.set_channel(shopDomain="e2e-store.myshopify.com")
        s.emulator.faults.configure(latency=1.0)
        slow = (await s.api.client.post(f"/channels/{s.channel_id}/test-connection")).json()
        assert slow["ok"] is False
        assert "did not answer in time" in slow["message"], slow
        assert SHOP_TOKEN not in str(unknown) + str(slow)


async def test_unreachable_host_is_a_clear_failure(database_url: str) -> None:
    async with stack(database_url) as s:
        services = s.api.app.app.state.services
        services.settings = type(services.settings)(
            **{**services.settings.__dict__, "shopify_base_url": "http://127.0.0.1:9"}
        )
        services.runner._settings = services.settings
        response = await s.api.client.post(f"/channels/{s.channel_id}/test-connection")
        body = response.json()
        assert body["ok"] is False
        assert "reach" in body["message"] or "connect" in body["message"], body


async def test_first_push_unchanged_repush_and_edit(database_url: str) -> None:
    async with stack(database_url) as s:
        ids = [
            await s.create_entity(
                name=f"Mug {i}",
                price="12.50",
                sku=f"MUG-{i}",
                tags=["mug"],
                status="active",
                vendor="Acme",
            )
            for i in range(5)
        ]
        first = (await s.run("push"))["syncLog"]
        assert (first["status"], first["pushed"], first["skipped"], first["failed"]) == (
            "SUCCESS",
            5,
            0,
            0,
        )
        assert _titles(s.emulator) == [f"Mug {i}" for i in range(5)]
        # five concurrent creates share one metafield definition request
        assert s.emulator.stats.requests["metafieldDefinitionCreate"] == 1

        before = s.emulator.stats.requests["productSet"]
        again = (await s.run("push"))["syncLog"]
        # nothing was written since the last push: no entity is even read
        assert (again["pushed"], again["skipped"]) == (0, 0)
        assert again["details"]["localChanges"]["read"] == 0
        assert s.emulator.stats.requests["productSet"] == before

        await s.update_entity(ids[2], name="Big mug", price="15")
        edited = (await s.run("push"))["syncLog"]
        assert (edited["pushed"], edited["skipped"]) == (1, 0)
        assert edited["details"]["localChanges"]["read"] == 1
        assert "Big mug" in _titles(s.emulator) and len(s.emulator.store.products) == 5
        product = next(p for p in s.emulator.store.products.values() if p.title == "Big mug")
        assert [v.price for v in product.variants] == ["15.00"]

        mappings = await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")
        rows = mappings.json()
        assert sorted(r["entityId"] for r in rows) == sorted(ids)
        assert set(rows[0]) == {
            "id",
            "channelId",
            "entityId",
            "externalId",
            "externalVariantIds",
            "lastPushedAt",
            "lastPulledAt",
            "checksum",
        }
        assert rows[0]["externalId"].startswith("gid://shopify/Product/")


async def test_lost_reply_after_create_makes_no_duplicate(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.create_entity(name="Lamp", price="40.00", sku="LAMP")
        s.emulator.faults.drop_after_commit("productSet", times=1)
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 1), log
        assert _titles(s.emulator) == ["Lamp"]
        # and the next run, too, finds the product instead of creating another
        again = (await s.run("push"))["syncLog"]
        assert again["failed"] == 0 and len(s.emulator.store.products) == 1


async def test_first_and_incremental_pull(database_url: str) -> None:
    # The store's products were last edited an hour ago; then the clock is back at now.
    an_hour_ago = datetime.now(UTC) - timedelta(hours=1)
    async with stack(database_url, products=30, clock=Clock(an_hour_ago)) as s:
        s.emulator.clock.set(datetime.now(UTC))
        first = (await s.run("pull"))["syncLog"]
        assert (first["status"], first["pulled"], first["failed"]) == ("SUCCESS", 30, 0), first
        entities = await s.entities()
        assert len(entities) == 30
        titles = {p.title for p in s.emulator.store.products.values()}
        assert {e["attributes"]["name"] for e in entities} == titles

        requests_before = s.emulator.stats.total
        again = (await s.run("pull"))["syncLog"]
        assert (again["pulled"], again["skipped"], again["failed"]) == (0, 0, 0), again
        assert s.emulator.stats.total - requests_before == 1

        product = next(iter(s.emulator.store.products.values()))
        await s.rename_in_shopify(f"gid://shopify/Product/{product.id}", "Renamed in Shopify")
        requests_before = s.emulator.stats.total
        incremental = (await s.run("pull"))["syncLog"]
        assert (incremental["pulled"], incremental["failed"]) == (1, 0), incremental
        # one page, plus one follow-up read when the product has more variants than a page holds
        assert s.emulator.stats.total - requests_before <= 2
        names = {e["attributes"]["name"] for e in await s.entities()}
        assert "Renamed in Shopify" in names and len(names) == 30


async def test_push_then_pull_round_trips_without_churn(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.create_entity(
            name="Shirt",
            description="<p>Soft</p>",
            vendor="Acme",
            productType="Apparel",
            tags=["b", "a"],
            status="DRAFT",
            variants=[
                {"sku": "S-R", "price": "20.00", "options": {"Size": "S", "Colour": "Red"}},
                {"sku": "M-R", "price": "21.00", "options": {"Size": "M", "Colour": "Red"}},
            ],
            images=["https://cdn.example.com/shirt.png"],
        )
        pushed = (await s.run("push"))["syncLog"]
        assert pushed["pushed"] == 1, pushed
        pulled = (await s.run("pull"))["syncLog"]
        assert (pulled["pulled"], pulled["skipped"], pulled["failed"]) == (0, 1, 0), pulled
        synced = (await s.run("sync"))["syncLog"]
        assert (synced["pushed"], synced["pulled"], synced["failed"]) == (0, 0, 0), synced


async def test_store_rejections_make_a_partial_run(database_url: str) -> None:
    async with stack(database_url) as s:
        good = await s.create_entity(name="Good", price="1.00", sku="G")
        bad_ids = [
            # Shopify refuses negative prices; our schema's money type allows them
            await s.create_entity(name=f"Bad {i}", price="-1.00", sku=f"B{i}")
            for i in range(2)
        ]
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("PARTIAL", 1, 2), log
        assert sorted(e["entityId"] for e in log["errors"]) == sorted(bad_ids)
        assert good not in [e["entityId"] for e in log["errors"]]
        assert all("greater than or equal to 0" in e["message"] for e in log["errors"])


async def test_second_run_is_refused_while_one_runs(database_url: str) -> None:
    async with stack(database_url) as s:
        for i in range(30):
            await s.create_entity(name=f"P{i}", price="2.00", sku=f"P{i}")
        s.emulator.faults.configure(latency=0.05)
        first = (await s.run("push", wait=False))["syncLog"]
        assert first["status"] == "RUNNING"
        second = await s.run("push", wait=False)
        assert second["userErrors"][0]["code"] == "SYNC_IN_PROGRESS"
        assert second["syncLog"]["id"] == first["id"]
        rest = await s.api.client.post(f"/channels/{s.channel_id}/pull")
        assert rest.status_code == 409
        assert rest.json()["error"]["code"] == "SYNC_IN_PROGRESS"
        finished = await s.wait_for(first["id"])
        assert finished["pushed"] == 30
        logs = (await s.api.client.get(f"/channels/{s.channel_id}/sync-logs")).json()
        assert logs[0]["status"] == "success" and logs[0]["direction"] == "push"
        assert set(logs[0]) == {
            "id",
            "channelId",
            "direction",
            "status",
            "startedAt",
            "completedAt",
            "pushed",
            "pulled",
            "skipped",
            "failed",
            "errors",
        }


async def test_rest_push_with_wait_returns_the_finished_log(database_url: str) -> None:
    async with stack(database_url) as s:
        entity = await s.create_entity(name="Via REST", price="3.00", sku="R")
        response = await s.api.client.post(
            f"/channels/{s.channel_id}/push", json={"entityIds": [entity], "wait": True}
        )
        assert response.status_code == 200
        body = response.json()
        assert (body["status"], body["pushed"], body["direction"]) == ("success", 1, "push")
        bad = await s.api.client.post(f"/channels/{s.channel_id}/push", content=b"{nope")
        assert bad.status_code == 422
        missing = await s.api.client.post("/channels/nope/push")
        assert missing.status_code == 404


async def test_rejected_credentials_fail_the_run_with_a_clear_message(database_url: str) -> None:
    async with stack(database_url) as s:
        for i in range(3):
            await s.create_entity(name=f"N{i}", price="1.00", sku=f"N{i}")
        await s.set_channel(accessToken="shpat_revoked")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("FAILED", 0), log
        assert "rejected the access token (HTTP 401)" in log["errors"][0]["message"]
        assert "shpat_revoked" not in str(log)
        assert len(s.emulator.store.products) == 0
