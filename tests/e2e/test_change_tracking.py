"""Local change tracking over HTTP: a run reads only the entities written since the channel's
last successful run; a configuration change makes it compare every entity once."""

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, func, select, update

from db.models import Entity, EntityDeletion, RevisionCounter
from db.revisions import current_revision
from emulator.clock import Clock
from tests.helpers.stack import Stack, stack

# The default mappings without `vendor`: the schema's vendor attribute becomes unmapped.
WITHOUT_VENDOR = [
    {"attribute": "name", "field": "title", "direction": "BOTH"},
    {"attribute": "price", "field": "variant.price", "direction": "BOTH"},
    {"attribute": "sku", "field": "variant.sku", "direction": "BOTH"},
]


@contextlib.contextmanager
def loaded_entities() -> Iterator[list[str]]:
    """Ids of the Entity rows the ORM builds (the API server runs in this process)."""
    ids: list[str] = []

    def loaded(entity: Entity, _context: Any) -> None:
        ids.append(entity.id)

    event.listen(Entity, "load", loaded)
    try:
        yield ids
    finally:
        event.remove(Entity, "load", loaded)


async def _seed(s: Stack, count: int) -> list[str]:
    return [
        await s.create_entity(name=f"Cup {i}", price="3.00", sku=f"CUP-{i}", vendor="Acme")
        for i in range(count)
    ]


def _requests(log: dict[str, Any]) -> int:
    return int(log["details"]["shopify"]["requests"])


async def test_unchanged_entities_are_not_loaded_and_an_edit_is(database_url: str) -> None:
    # Shopify's clock an hour behind: the pushed products are older than the pull window's
    # overlap, as in a scheduled sync, so the remote side reports nothing changed.
    async with stack(database_url, clock=Clock(datetime.now(UTC) - timedelta(hours=1))) as s:
        ids = await _seed(s, 12)
        first = (await s.run("push"))["syncLog"]
        assert (first["pushed"], first["details"]["localChanges"]["mode"]) == (12, "full")

        with loaded_entities() as loaded:
            quiet = (await s.run("push"))["syncLog"]
        assert loaded == [] and quiet["details"]["localChanges"]["read"] == 0, quiet
        assert (quiet["pushed"], quiet["skipped"], _requests(quiet)) == (0, 0, 0)
        assert quiet["details"]["localChanges"]["mode"] == "incremental"

        await s.update_entity(ids[4], name="Tall cup")
        with loaded_entities() as loaded:
            edited = (await s.run("push"))["syncLog"]
        assert loaded == [ids[4]], loaded
        assert (edited["pushed"], edited["details"]["localChanges"]["read"]) == (1, 1)
        assert "Tall cup" in {p.title for p in s.emulator.store.products.values()}

        # a bidirectional sync with nothing changed on either side loads no entity either
        await s.run("sync")
        with loaded_entities() as loaded:
            quiet_sync = (await s.run("sync"))["syncLog"]
        assert loaded == [], loaded
        assert (quiet_sync["pushed"], quiet_sync["pulled"], quiet_sync["failed"]) == (0, 0, 0)
        assert _requests(quiet_sync) == 1  # the updated_at query for remote changes


async def test_a_field_mapping_change_compares_every_entity_once(database_url: str) -> None:
    async with stack(database_url) as s:
        await _seed(s, 6)
        await s.run("push")
        await s.set_channel(fieldMappings=WITHOUT_VENDOR)
        with loaded_entities() as loaded:
            full = (await s.run("push"))["syncLog"]
        assert full["details"]["localChanges"]["mode"] == "full"
        assert len(loaded) == 6 and full["failed"] == 0, full
        with loaded_entities() as loaded:
            after = (await s.run("push"))["syncLog"]
        assert loaded == [] and after["details"]["localChanges"]["mode"] == "incremental"


async def test_an_unmapped_attribute_edit_costs_no_shopify_call(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.set_channel(fieldMappings=WITHOUT_VENDOR)
        ids = await _seed(s, 3)
        await s.run("push")
        await s.update_entity(ids[1], vendor="Other")
        log = (await s.run("push"))["syncLog"]
        # read because it was written; left alone because its mapped fields did not change
        assert log["details"]["localChanges"]["read"] == 1
        assert (log["pushed"], log["skipped"], _requests(log)) == (0, 1, 0), log


async def test_a_failed_item_is_read_again_by_the_next_run(database_url: str) -> None:
    async with stack(database_url) as s:
        await _seed(s, 2)
        rejected = await s.create_entity(name="Bad", price="-1.00", sku="BAD")
        first = (await s.run("push"))["syncLog"]
        assert (first["pushed"], first["failed"]) == (2, 1), first
        # the stored revision did not move: the next run reads the same entities again
        retry = (await s.run("push"))["syncLog"]
        assert (retry["pushed"], retry["skipped"], retry["failed"]) == (0, 2, 1), retry
        assert retry["details"]["localChanges"]["read"] == 3
        await s.update_entity(rejected, price="1.00")
        fixed = (await s.run("push"))["syncLog"]
        assert (fixed["pushed"], fixed["failed"]) == (1, 0), fixed
        quiet = (await s.run("push"))["syncLog"]
        assert quiet["details"]["localChanges"]["read"] == 0


async def test_an_entity_deleted_after_the_last_run_gets_the_delete_policy(
    database_url: str,
) -> None:
    async with stack(database_url) as s:
        await s.set_channel(deletePolicy="DELETE")
        ids = await _seed(s, 4)
        await s.run("push")
        delete_entity = "mutation($id: ID!) { entityDelete(id: $id) { deletedId } }"
        await s.api.gql(delete_entity, {"id": ids[0]})
        log = (await s.run("push"))["syncLog"]
        assert log["details"]["localChanges"]["mode"] == "incremental"
        assert (log["pushed"], log["failed"], len(s.emulator.store.products)) == (1, 0, 3), log
        # the only channel has synced past the deletion: its record is pruned
        assert log["details"]["localChanges"]["deletionsPruned"] == 1, log
        async with s.sessions() as session:
            assert await session.scalar(select(func.count()).select_from(EntityDeletion)) == 0
        # Another channel's prune went past this one's last sync (a full run of it began before
        # that prune): the record of a later deletion is gone, and the channel reads everything.
        await s.api.gql(delete_entity, {"id": ids[1]})
        async with s.sessions() as session:
            await session.execute(delete(EntityDeletion))
            revision = await current_revision(session)
            await session.execute(update(RevisionCounter).values(deletions_pruned_through=revision))
            await session.commit()
        log = (await s.run("push"))["syncLog"]
        assert log["details"]["localChanges"]["mode"] == "full", log
        assert (log["pushed"], log["failed"], len(s.emulator.store.products)) == (1, 0, 2), log


async def test_an_entity_written_by_a_pull_is_read_once_and_not_echoed(database_url: str) -> None:
    async with stack(database_url, clock=Clock(datetime.now(UTC) - timedelta(hours=1))) as s:
        await _seed(s, 3)
        await s.run("push")
        product = next(iter(s.emulator.store.products.values()))
        await s.rename_in_shopify(f"gid://shopify/Product/{product.id}", "Renamed in Shopify")
        pulled = (await s.run("pull"))["syncLog"]
        assert pulled["pulled"] == 1, pulled
        # the pull wrote the entity (a new revision): the push reads it, finds the checksum the
        # pull stored, and sends nothing back
        log = (await s.run("push"))["syncLog"]
        assert log["details"]["localChanges"]["read"] == 1, log
        assert (log["pushed"], log["skipped"], _requests(log)) == (0, 1, 0), log
