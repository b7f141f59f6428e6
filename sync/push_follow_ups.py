"""A bulk push's in-place writes, as bulk operations too.

After a bulk productSet, an updated product still needs its `variant.*` fields written with
productVariantsBulkUpdate, its mapped metafields with metafieldsSet, and then a read for its
mapping (sync.push_write). Per item, that is two or three requests at the pace of the cost
budget: the second push of 10,000 edited entities spent 12 of its 13 minutes there, with
`pushed` standing still (emulator, bench.polling's store). Bulk mutations accept any mutation
(changelog "Faster bulk operations", 2025-12-15) and cost no points per line, so both writes go
as lines of their own bulk operations: the metafields first, then the variants, whose lines
return the product as Shopify then holds it, which makes the read unnecessary. Only items with
metafields and no variant fields are read, one request each.

An item whose writes do not fit a line (metafields to delete, more than one metafieldsSet call's
worth) still goes per item (push_write.finish_item); so does one whose variant cannot be named.
A line that fails is a problem of its item, as in push_write.write_in_place: the mapping keeps no
checksum and the next run pushes the entity again.
"""

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any

from db.enums import SyncPhase
from sync.pacer import pace
from sync.product import ProductRecord
from sync.push_write import ItemFailed, Known, PushItem, Written, finish_item
from sync.remote_ids import single_variant_id, variant_keys
from sync.run import Run
from sync.shopify.client import METAFIELDS_SET_MAX
from sync.write_plan import ProductWrite

Job = Callable[[], Coroutine[Any, Any, Written]]


@dataclass
class Accepted:
    """A productSet line Shopify applied, and what remains to be written after it."""

    item: PushItem
    plan: ProductWrite
    known: Known
    product: ProductRecord  # as productSet returned it
    variant_id: str | None = None
    problems: list[str] = field(default_factory=list)
    after: ProductRecord | None = None  # as the variants' line returned it


def _in_bulk(accepted: Accepted) -> bool:
    """Whether the item's remaining writes fit bulk lines (sets variant_id when it has some)."""
    plan = accepted.plan
    if plan.cleared or len(plan.metafields) > METAFIELDS_SET_MAX:
        return False
    if plan.variant_update:
        # as write_in_place: the variant the mapping knows, else the one productSet returned
        sku = plan.variant_sku
        accepted.variant_id = single_variant_id(accepted.known.variants, sku) or (
            single_variant_id(variant_keys(accepted.product), sku)
        )
        return accepted.variant_id is not None
    return True


async def follow_ups(run: Run, accepted: Sequence[Accepted]) -> list[tuple[PushItem, Job]]:
    """Write what the accepted lines still need, in bulk; then one job per item that returns
    its Written (reading the product only where no line returned it)."""
    jobs: list[tuple[PushItem, Job]] = []
    bulk: list[Accepted] = []
    for one in accepted:
        if one.plan.needs_more and _in_bulk(one):
            bulk.append(one)
        else:
            jobs.append((one.item, _per_item(run, one)))
    await _write_metafields(run, [one for one in bulk if one.plan.metafields])
    await _write_variants(run, [one for one in bulk if one.variant_id is not None])
    for one in bulk:
        await pace()
        jobs.append((one.item, _finished(run, one)))
    return jobs


def _per_item(run: Run, one: Accepted) -> Job:
    return lambda: finish_item(run, one.product["id"], one.plan, one.known, one.product)


def _finished(run: Run, one: Accepted) -> Job:
    async def job() -> Written:
        product = one.after
        if product is None:  # metafields only, or the variants' line failed
            product = await run.client.product(one.product["id"], small=True)
        if product is None:
            raise ItemFailed("the product was written but could not be read back")
        return Written(product, one.plan, one.known.media, one.problems)

    return job


def _hooks(run: Run) -> dict[str, Any]:
    """The bulk client's keyword arguments: the operations' names, and what they tell the log."""
    run.recorder.set_phase(SyncPhase.UPLOADING)
    operations: list[str] = run.recorder.details.setdefault("bulkOperationIds", [])
    return {
        "owner": run.channel.id,
        "run": run.recorder.log_id,
        "on_operation": operations.append,
        "on_progress": run.recorder.bulk_follow_up_progress,
    }


async def _write_metafields(run: Run, items: Sequence[Accepted]) -> None:
    if not items:
        return
    lines = [
        [{"ownerId": one.product["id"], **entry} for entry in one.plan.metafields] for one in items
    ]
    problems = await run.client.run_bulk_metafields_set(lines, **_hooks(run))
    for one, errors in zip(items, problems, strict=True):
        if errors:
            one.problems.append(f"Shopify rejected a metafield: {'; '.join(errors)}")


async def _write_variants(run: Run, items: Sequence[Accepted]) -> None:
    if not items:
        return
    lines = [
        (one.product["id"], [{"id": one.variant_id, **(one.plan.variant_update or {})}])
        for one in items
    ]
    results = await run.client.run_bulk_variant_updates(lines, **_hooks(run))
    for one, result in zip(items, results, strict=True):
        if result.ok:
            one.after = result.product
        else:
            detail = result.error or "; ".join(map(str, result.user_errors)) or "no result"
            one.problems.append(f"Shopify rejected the variant fields: {detail}")
