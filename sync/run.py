"""Everything one sync run works with, passed to the push, pull and bidirectional algorithms."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from db.clock import utcnow
from db.engine import SessionFactory
from db.models import Channel, Schema
from sync.fields import FieldMapping
from sync.recorder import Recorder
from sync.shopify.client import ShopifyClient

if TYPE_CHECKING:
    from sync.local_changes import LocalScope


class BulkMode(StrEnum):
    """Whether a run uses Shopify's bulk operations (tests prove both paths give one result)."""

    AUTO = "auto"  # full pulls, and pushes of at least bulk_threshold changed entities
    ALWAYS = "always"
    NEVER = "never"


@dataclass(frozen=True)
class RunOptions:
    """The engine's knobs, one object from the Runner (or a benchmark) down to the algorithms."""

    # productSet calls kept in flight at once: the cost limiter, not latency, sets the pace
    concurrency: int = 16
    # entities read and mappings written per database round trip
    batch_size: int = 250
    bulk: BulkMode = BulkMode.AUTO
    bulk_threshold: int = 250
    # lines per bulk import: stays well under Shopify's 20 MB upload limit
    bulk_chunk: int = 500
    # bulk imports a push plans and runs at once (at most what the shop allows): each holds its
    # items, their plans and results in memory (~20 KB an item), so chunk x batches bounds a
    # push's memory whatever its size; several at once overlap Shopify's processing
    bulk_batches: int = 2


@dataclass
class Run:
    channel: Channel
    mappings: Sequence[FieldMapping]
    client: ShopifyClient
    sessions: SessionFactory
    recorder: Recorder
    # the channel's schema: pulled entities are created in it and validated against it
    schema: Schema | None
    options: RunOptions = field(default_factory=RunOptions)
    now: Callable[[], datetime] = utcnow
    # set by the first create, so a run with nothing new sends no metafieldDefinitionCreate
    identity_ready: bool = field(default=False)
    identity_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    # Set by sync.local_changes.open_scope: which entities the run reads (those written since the
    # channel's last run, or all) and which deletions get the deletePolicy.
    local_scope: "LocalScope | None" = None
    # Set by sync.local_changes.open_scope: only entities past this revision are read, and only
    # those deleted past it get the deletePolicy; None compares everything.
    local_since: int | None = None
