"""Everything one sync run works with, passed to the push, pull and bidirectional algorithms."""

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from db.clock import utcnow
from db.engine import SessionFactory
from db.models import Channel, Schema
from sync.fields import FieldMapping
from sync.recorder import Recorder
from sync.shopify.client import ShopifyClient


@dataclass
class Run:
    channel: Channel
    mappings: Sequence[FieldMapping]
    client: ShopifyClient
    sessions: SessionFactory
    recorder: Recorder
    # the channel's schema: pulled entities are created in it and validated against it
    schema: Schema | None
    # productSet calls kept in flight at once: the cost limiter, not latency, sets the pace
    concurrency: int = 16
    # entities read and mappings written per database round trip
    batch_size: int = 250
    # "auto": bulk operations for full pulls and for pushes of at least bulk_threshold changed
    # entities; "always" or "never" force one path (tests prove both give the same result)
    bulk: str = "auto"
    bulk_threshold: int = 250
    # lines per bulk import: bounds memory and stays well under Shopify's 20 MB upload limit
    bulk_chunk: int = 5000
    now: Callable[[], datetime] = utcnow
    # set by the first create, so a run with nothing new sends no metafieldDefinitionCreate
    identity_ready: bool = field(default=False)
    identity_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
