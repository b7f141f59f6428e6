"""What became of each pushed item: its mapping queued for writing, or its error recorded."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SyncMapping
from db.sync_mappings import write_mappings
from sync.field_values import MappingError
from sync.link_writes import tally
from sync.push_write import ItemFailed, PushItem, Written, item_level, record
from sync.run import Run
from sync.shopify.errors import ShopifyGraphQLError

_Batch = tuple[list[SyncMapping], list[dict[str, Any]]]


@dataclass
class PendingMappings:
    """Mappings of successes, written by the run's recorder on its timer with the counters
    (sync.recorder.PendingWrites), so a crash repeats at most one interval of pushes."""

    new: list[SyncMapping] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)

    def take(self) -> _Batch:
        taken = (self.new, self.changed)
        self.new, self.changed = [], []
        return taken

    async def write(self, session: AsyncSession, taken: _Batch) -> None:
        if taken[0] or taken[1]:
            await write_mappings(session, *taken)

    def give_back(self, taken: _Batch) -> None:
        self.new[:0], self.changed[:0] = taken


def record_success(run: Run, item: PushItem, written: Written, writes: PendingMappings) -> None:
    values = record(run, item, written)
    if item.mapping is None:
        writes.new.append(
            SyncMapping(channel_id=run.channel.id, entity_id=item.entity.id, **values)
        )
        tally(run, "created")
    else:
        writes.changed.append({"id": item.mapping.id, **values})
    if written.problems:
        record_failure(run, item, "; ".join(written.problems))
    else:
        run.recorder.count("pushed")


def record_failure(run: Run, item: PushItem, message: str) -> None:
    run.recorder.fail(
        message,
        entity_id=item.entity.id,
        external_id=item.mapping.external_id if item.mapping else None,
    )


async def guarded(run: Run, item: PushItem, work: Any, writes: PendingMappings) -> None:
    """Runs one item's writes; whatever only this item caused fails this item only."""
    try:
        written = await work
    except MappingError as problem:
        run.recorder.fail(f"cannot map the entity: {problem}", entity_id=item.entity.id)
    except ItemFailed as problem:
        record_failure(run, item, str(problem))
    except ShopifyGraphQLError as error:
        if not item_level(error):
            raise
        record_failure(run, item, str(error))
    else:
        record_success(run, item, written, writes)
