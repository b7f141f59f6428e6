"""Bidirectional runs: the three-way decision, each conflict policy, no echo."""

import pytest

from tests.helpers.stack import Stack, stack


async def _linked_pair(s: Stack) -> tuple[str, str]:
    entity_id = await s.create_entity(name="Chair", price="50.00", sku="CH")
    log = (await s.run("sync"))["syncLog"]
    assert (log["pushed"], log["failed"]) == (1, 0), log
    product = next(iter(s.emulator.store.products.values()))
    return entity_id, f"gid://shopify/Product/{product.id}"


async def test_only_local_or_only_remote_changes_flow_the_right_way(database_url: str) -> None:
    async with stack(database_url) as s:
        entity_id, product_id = await _linked_pair(s)
        quiet = (await s.run("sync"))["syncLog"]
        assert (quiet["pushed"], quiet["pulled"], quiet["skipped"]) == (0, 0, 1), quiet

        await s.update_entity(entity_id, name="Chair v2")
        local = (await s.run("sync"))["syncLog"]
        assert (local["pushed"], local["pulled"]) == (1, 0), local
        assert next(iter(s.emulator.store.products.values())).title == "Chair v2"

        await s.rename_in_shopify(product_id, "Chair v3")
        remote = (await s.run("sync"))["syncLog"]
        assert (remote["pushed"], remote["pulled"]) == (0, 1), remote
        assert (await s.entity(entity_id))["name"] == "Chair v3"

        echo = (await s.run("sync"))["syncLog"]
        assert (echo["pushed"], echo["pulled"], echo["failed"]) == (0, 0, 0), echo


async def test_unmapped_items_on_both_sides(database_url: str) -> None:
    async with stack(database_url, products=3) as s:
        await s.create_entity(name="Local only", price="1.00", sku="L")
        log = (await s.run("sync"))["syncLog"]
        assert (log["pushed"], log["pulled"], log["skipped"], log["failed"]) == (1, 3, 0, 0), log
        assert len(s.emulator.store.products) == 4
        assert len(await s.entities()) == 4


@pytest.mark.parametrize(
    ("policy", "winner"),
    [
        ("LOCAL_WINS", "local"),
        ("REMOTE_WINS", "remote"),
        ("NEWEST_WINS", "remote"),
        ("MANUAL", None),
    ],
)
async def test_conflict_policies(database_url: str, policy: str, winner: str | None) -> None:
    async with stack(database_url) as s:
        await s.set_channel(conflictPolicy=policy)
        entity_id, product_id = await _linked_pair(s)
        await s.update_entity(entity_id, name="Local edit")
        # Shopify's updatedAt has whole seconds: the emulator's clock moves the remote edit
        # clearly after the local one, without waiting.
        s.emulator.clock.advance(2)
        await s.rename_in_shopify(product_id, "Remote edit")
        log = (await s.run("sync"))["syncLog"]
        title = next(iter(s.emulator.store.products.values())).title
        name = (await s.entity(entity_id))["name"]
        if winner == "local":
            assert (log["pushed"], log["pulled"], title, name) == (1, 0, "Local edit", "Local edit")
        elif winner == "remote":
            assert (log["pushed"], log["pulled"], title, name) == (
                0,
                1,
                "Remote edit",
                "Remote edit",
            )
        else:
            assert (log["status"], log["failed"], title, name) == (
                "PARTIAL",
                1,
                "Remote edit",
                "Local edit",
            )
            assert "conflict" in log["errors"][0]["message"]
            assert log["errors"][0]["entityId"] == entity_id
