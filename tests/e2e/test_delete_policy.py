"""What a push does with the products of entities deleted from the PIM (deletePolicy)."""

import pytest

from tests.helpers.stack import stack


@pytest.mark.parametrize("policy", ["KEEP", "ARCHIVE", "DELETE"])
async def test_delete_policy(database_url: str, policy: str) -> None:
    async with stack(database_url) as s:
        await s.set_channel(deletePolicy=policy)
        kept = await s.create_entity(name="Stays", price="1.00", sku="S")
        doomed = await s.create_entity(name="Goes", price="1.00", sku="G")
        assert (await s.run("push"))["syncLog"]["pushed"] == 2
        deleted = await s.api.gql(
            "mutation($id: ID!) { entityDelete(id: $id) { deletedId } }", {"id": doomed}
        )
        assert deleted["data"]["entityDelete"]["deletedId"] == doomed

        log = (await s.run("push"))["syncLog"]
        statuses = {p.title: p.status for p in s.emulator.store.products.values()}
        mappings = (await s.api.client.get(f"/channels/{s.channel_id}/sync-mappings")).json()
        mapped = sorted(m["entityId"] for m in mappings)
        if policy == "KEEP":
            assert (log["pushed"], statuses) == (0, {"Stays": "ACTIVE", "Goes": "ACTIVE"})
            assert mapped == sorted([kept, doomed])
        elif policy == "ARCHIVE":
            assert (log["pushed"], statuses) == (1, {"Stays": "ACTIVE", "Goes": "ARCHIVED"})
            assert mapped == sorted([kept, doomed])
        else:
            assert (log["pushed"], statuses) == (1, {"Stays": "ACTIVE"})
            assert mapped == [kept]
        assert log["failed"] == 0, log
        # applied once: the next run has nothing to do and pulls nothing back
        again = (await s.run("sync"))["syncLog"]
        assert (again["pushed"], again["pulled"], again["failed"]) == (0, 0, 0), again
