"""The tables (docs/architecture.md). Enum-valued columns hold the upper-case names of the
GraphQL enums."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from db.clock import utcnow
from db.enums import (
    ChannelType,
    ConflictPolicy,
    DeletePolicy,
    MatchBy,
    RemoteDeletePolicy,
    SyncPhase,
    SyncStatus,
)
from db.ids import new_id


def _id() -> str:
    return new_id()


class Schema(SQLModel, table=True):
    __tablename__ = "schema"

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    # [{key, label, type, required}]
    attributes: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Catalog(SQLModel, table=True):
    __tablename__ = "catalog"

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    name: str = Field(sa_column=Column(String(200), unique=True, nullable=False))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Entity(SQLModel, table=True):
    __tablename__ = "entity"
    # Runs read the entities changed since a channel's last sync by this range, in this order.
    __table_args__ = (Index("ix_entity_revision_id", "revision", "id"),)

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    schema_id: str = Field(
        sa_column=Column(String(32), ForeignKey("schema.id"), nullable=False, index=True)
    )
    attributes: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    # Set from the revision counter by every write (db.revisions): the order of commits.
    revision: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )


class RevisionCounter(SQLModel, table=True):
    """One row: the last revision handed to an entity write. Writers take it with an UPDATE,
    which locks the row until they commit, so revisions become visible in increasing order."""

    __tablename__ = "revision_counter"

    id: int = Field(default=1, primary_key=True)
    value: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    # Deletion records up to this revision are gone (db.revisions.prune_deletions): a channel
    # that synced before it reads all its entities once (sync.local_changes.open_scope).
    deletions_pruned_through: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )


class EntityDeletion(SQLModel, table=True):
    """A deleted entity and the revision of its deletion: a run applies the channel's
    deletePolicy to the entities deleted since its last sync without scanning every mapping."""

    __tablename__ = "entity_deletion"

    entity_id: str = Field(primary_key=True, max_length=32)
    revision: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))


class EntityCatalog(SQLModel, table=True):
    """Catalog membership as rows, so catalog filters are plain indexed joins on every database."""

    __tablename__ = "entity_catalog"

    entity_id: str = Field(
        sa_column=Column(String(32), ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True)
    )
    catalog_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("catalog.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )
    position: int = 0


class Channel(SQLModel, table=True):
    __tablename__ = "channel"

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    type: str = Field(default=ChannelType.SHOPIFY.value, max_length=20)
    shop_domain: str = Field(max_length=255)
    access_token_encrypted: str | None = Field(default=None, max_length=2000)
    # sync.shopify.versions.DEFAULT_API_VERSION (db does not import sync; a test keeps them equal)
    api_version: str = Field(default="2026-10", max_length=20)
    schema_id: str | None = Field(
        default=None, sa_column=Column(String(32), ForeignKey("schema.id"), nullable=True)
    )
    catalog_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    # [{attribute, field, direction, metafieldType?}]; empty means the default mappings
    field_mappings: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    conflict_policy: str = Field(default=ConflictPolicy.LOCAL_WINS.value, max_length=20)
    delete_policy: str = Field(default=DeletePolicy.KEEP.value, max_length=20)
    match_by: str = Field(default=MatchBy.SKU.value, max_length=20)
    remote_delete_policy: str = Field(default=RemoteDeletePolicy.UNLINK.value, max_length=20)
    # The key Shopify signs webhooks with (the app's client secret), encrypted like the token.
    webhook_secret_encrypted: str | None = Field(default=None, max_length=2000)
    # Shopify's ids of the webhook subscriptions channelUpdate registered for this channel.
    webhook_subscription_ids: list[str] = Field(default_factory=list, sa_type=JSON)
    # Start of the last successful pull; the next pull asks from here (minus an overlap).
    last_pulled_at: datetime | None = None
    # The entity revision a full push or sync had covered when it last succeeded, and the
    # fingerprint of the configuration it ran with (sync.local_changes): the next run reads only
    # entities past that revision, or all of them once when the configuration changed.
    synced_revision: int = Field(
        default=0, sa_column=Column(BigInteger, nullable=False, server_default="0")
    )
    synced_config: str | None = Field(default=None, max_length=64)
    # A cron expression or an interval (sync.schedule_rules); None: no scheduled syncs.
    sync_schedule: str | None = Field(default=None, max_length=100)
    # The schedule's next run time; the firing loop finds due channels by this index and claims
    # one by comparing it in its UPDATE (sync.schedules).
    next_sync_at: datetime | None = Field(default=None, index=True)
    # When a run last compared every mapped product id with the store (sync.remote_deletions):
    # scheduled syncs reconcile again once SIGMA_RECONCILE_HOURS have passed.
    reconciled_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class SyncLog(SQLModel, table=True):
    __tablename__ = "sync_log"
    # One RUNNING log per channel, enforced by the database so it holds across server processes.
    __table_args__ = (
        Index(
            "uq_sync_log_one_running",
            "channel_id",
            unique=True,
            sqlite_where=text("status = 'RUNNING'"),
            postgresql_where=text("status = 'RUNNING'"),
        ),
        # A channel's newest logs (syncLogs polls: id descending) in one index range scan.
        Index("ix_sync_log_channel_id_id", "channel_id", "id"),
    )

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    channel_id: str = Field(
        sa_column=Column(
            String(32), ForeignKey("channel.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    direction: str = Field(max_length=20)
    status: str = Field(default=SyncStatus.RUNNING.value, max_length=20)
    started_at: datetime = Field(default_factory=utcnow)
    completed_at: datetime | None = None
    # Written every few seconds by the process running the sync; a RUNNING log whose heartbeat
    # stopped belongs to a process that died, and no longer holds the channel's run lock.
    heartbeat_at: datetime | None = None
    # The run's lease (db.leases): which process holds it, a fencing epoch every write of the
    # run compares in the same statement, and until when the holder claims it without renewing.
    lease_owner: str | None = Field(default=None, max_length=255)
    lease_epoch: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, server_default="0")
    )
    lease_expires_at: datetime | None = None
    pushed: int = 0
    pulled: int = 0
    skipped: int = 0
    failed: int = 0
    # [{entityId?, externalId?, message}]
    errors: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    phase: str = Field(default=SyncPhase.STARTING.value, max_length=30)
    # Items the run expects to handle, once known (a progress bar's 100%); None until then.
    total: int | None = None
    # The Shopify bulk operation the run started last (gid://shopify/BulkOperation/...).
    bulk_operation_id: str | None = Field(default=None, max_length=255)
    # How the run went about it (e.g. "per-item" or "bulk", request and cost figures).
    details: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class SyncMapping(SQLModel, table=True):
    __tablename__ = "sync_mapping"
    __table_args__ = (
        UniqueConstraint("channel_id", "entity_id", name="uq_sync_mapping_entity"),
        UniqueConstraint("channel_id", "external_id", name="uq_sync_mapping_external"),
    )

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    channel_id: str = Field(
        sa_column=Column(String(32), ForeignKey("channel.id", ondelete="CASCADE"), nullable=False)
    )
    entity_id: str = Field(max_length=32)
    external_id: str = Field(max_length=255)
    external_variant_ids: list[str] | None = Field(default=None, sa_type=JSON)
    # [{id, options: {name: value}, sku}]: the variants a push updates in place (matched by option
    # combination, then SKU) instead of replacing them with new ones
    variant_keys: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    # [{id, source}]: which Shopify media came from which PIM image URL, in gallery order, so an
    # image is uploaded once and pull gives back sources, not CDN URLs
    media_sources: list[dict[str, Any]] | None = Field(default=None, sa_type=JSON)
    last_pushed_at: datetime | None = None
    last_pulled_at: datetime | None = None
    # Of the entity's mapped payload at the last sync: the seed's change-detection checksum.
    checksum: str | None = Field(default=None, max_length=64)
    # Of the product as Shopify held it after the last sync. Kept apart because Shopify fills in
    # what the entity leaves out (status, handle, ...): one shared value would make the pair
    # look changed on one side forever.
    remote_checksum: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WebhookEvent(SQLModel, table=True):
    """A webhook accepted for a channel, waiting for (or done by) the channel's next targeted
    pull. The unique key drops Shopify's duplicate deliveries (X-Shopify-Event-Id)."""

    __tablename__ = "webhook_event"
    __table_args__ = (
        UniqueConstraint("channel_id", "event_id", name="uq_webhook_event"),
        # The drain reads a channel's unprocessed events in arrival order.
        Index("ix_webhook_event_pending", "channel_id", "processed_at", "id"),
    )

    id: str = Field(default_factory=_id, primary_key=True, max_length=32)
    channel_id: str = Field(
        sa_column=Column(String(32), ForeignKey("channel.id", ondelete="CASCADE"), nullable=False)
    )
    event_id: str = Field(max_length=255)
    topic: str = Field(max_length=50)
    # gid://shopify/Product/N
    product_id: str = Field(max_length=255)
    received_at: datetime = Field(default_factory=utcnow)
    processed_at: datetime | None = None
