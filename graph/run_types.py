"""GraphQL types of runs: the sync logs and the entity-product links they keep."""

from datetime import datetime
from typing import cast

import strawberry
from strawberry.scalars import JSON

from db import enums, models
from graph.types import SyncDirection, SyncPhase, SyncStatus


@strawberry.type
class SyncError:
    entity_id: strawberry.ID | None
    external_id: str | None
    message: str


def _linking(row: models.SyncLog, outcome: str) -> int:
    """A counter of the run's `details.linking` (see sync.linking.tally)."""
    linking = (row.details or {}).get("linking") or {}
    return int(linking.get(outcome) or 0)


@strawberry.type
class SyncLog:
    id: strawberry.ID
    channel_id: strawberry.ID
    direction: SyncDirection
    status: SyncStatus
    started_at: datetime
    completed_at: datetime | None
    pushed: int
    pulled: int
    skipped: int
    failed: int
    errors: list[SyncError]
    phase: SyncPhase = strawberry.field(
        description="What the run is doing now; DONE once it ended. Counters are written at "
        "least every second while it runs."
    )
    total: int | None = strawberry.field(
        description="Items the run expects to handle, once known (pushed + pulled + skipped + "
        "failed reach it, deletions by deletePolicy aside); null until known, and for paged "
        "pulls and bidirectional runs."
    )
    bulk_operation_id: strawberry.ID | None = strawberry.field(
        description="The Shopify bulk operation the run started last, if any. While one runs, "
        "`pushed` includes the lines Shopify has processed so far (its objectCount); failed "
        "lines move to `failed` when its result is read."
    )
    details: JSON = strawberry.field(
        description="How the run went about it: mode (per-item or bulk), Shopify requests, cost."
    )
    linked: int = strawberry.field(
        description="Store products linked to existing entities (or entities to existing "
        "products) by the channel's matchBy key instead of being created."
    )
    created: int = strawberry.field(
        description="Products created in Shopify and entities created from Shopify products."
    )
    ambiguous: int = strawberry.field(
        description="Entities and products left alone because their matchBy key matched more "
        "than one item on the other side (each one is in errors)."
    )

    @classmethod
    def from_row(cls, row: models.SyncLog) -> "SyncLog":
        return cls(
            id=strawberry.ID(row.id),
            channel_id=strawberry.ID(row.channel_id),
            direction=enums.SyncDirection(row.direction),
            status=enums.SyncStatus(row.status),
            started_at=row.started_at,
            completed_at=row.completed_at,
            pushed=row.pushed,
            pulled=row.pulled,
            skipped=row.skipped,
            failed=row.failed,
            errors=[
                SyncError(
                    entity_id=e.get("entityId"),
                    external_id=e.get("externalId"),
                    message=e["message"],
                )
                for e in row.errors
            ],
            phase=enums.SyncPhase(row.phase),
            total=row.total,
            bulk_operation_id=strawberry.ID(row.bulk_operation_id)
            if row.bulk_operation_id
            else None,
            details=cast(JSON, row.details),
            linked=_linking(row, "linked"),
            created=_linking(row, "created"),
            ambiguous=_linking(row, "ambiguous"),
        )


@strawberry.type
class SyncMapping:
    id: strawberry.ID
    channel_id: strawberry.ID
    entity_id: strawberry.ID
    external_id: str
    external_variant_ids: list[str] | None
    last_pushed_at: datetime | None
    last_pulled_at: datetime | None
    checksum: str | None

    @classmethod
    def from_row(cls, row: models.SyncMapping) -> "SyncMapping":
        return cls(
            id=strawberry.ID(row.id),
            channel_id=strawberry.ID(row.channel_id),
            entity_id=strawberry.ID(row.entity_id),
            external_id=row.external_id,
            external_variant_ids=row.external_variant_ids,
            last_pushed_at=row.last_pushed_at,
            last_pulled_at=row.last_pulled_at,
            checksum=row.checksum,
        )
