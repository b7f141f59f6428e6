"""A pull of given products only: what a channel's webhooks (or a reconciliation) ask for.

The products are read by id (`nodes(ids:)`), compared and written exactly as an incremental
pull does (sync.pull): unchanged ones are skipped, unmapped ones linked or created. A product
that is gone (a products/delete event, or null when read) gets the channel's
remoteDeletePolicy. The pull window (`lastPulledAt`) does not move: the run read a few
products, not everything updated since the last pull.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from db.enums import SyncPhase
from sync.linking import Linker
from sync.pull import pull_links, pull_page
from sync.remote_deletions import apply_remote_deletions
from sync.run import Run


@dataclass(frozen=True)
class RemoteTargets:
    """What a targeted pull looks at: products changed and products deleted (none: a run that
    only reconciles)."""

    changed: Sequence[str] = field(default_factory=tuple)
    deleted: Sequence[str] = field(default_factory=tuple)
    # webhook events behind this run (several may name one product)
    events: int = 0


async def pull_products(run: Run, targets: RemoteTargets) -> None:
    recorder = run.recorder
    recorder.details["pullMode"] = "targeted"
    deleted = list(dict.fromkeys(targets.deleted))
    gone = set(deleted)
    wanted = [product_id for product_id in dict.fromkeys(targets.changed) if product_id not in gone]
    recorder.total = len(wanted) + len(deleted)
    recorder.details["targets"] = {
        "changed": len(wanted),
        "deleted": len(deleted),
        "events": targets.events,
    }
    recorder.set_phase(SyncPhase.READING)
    found = await run.client.products_by_ids(wanted) if wanted else {}
    deleted += [product_id for product_id, product in found.items() if product is None]
    products = [product for product in found.values() if product is not None]
    linker = Linker(run)
    await pull_page(run, linker, products)
    await pull_links(run, linker)
    applied = await apply_remote_deletions(run, deleted)
    # A deleted product we never mapped has nothing to apply: it still counts as handled.
    recorder.count("skipped", len(deleted) - applied)
