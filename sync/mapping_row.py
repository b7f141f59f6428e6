"""The values a SyncMapping row gets after a push and after a pull: one function for both, so
the two directions always record the same things (ids, variant keys, media sources, checksums)."""

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from db.models import SyncMapping
from sync.checksum import product_checksum
from sync.fields import FieldMapping
from sync.mapping import push_values
from sync.product import ProductRecord
from sync.remote_ids import (
    MediaSource,
    adopt_media,
    media_of,
    media_sources_after,
    variant_keys,
)


def known_media(
    mapping: SyncMapping | None,
    attributes: Mapping[str, Any] | None,
    product: ProductRecord | None,
    mappings: Sequence[FieldMapping],
) -> list[MediaSource]:
    """The media id -> source record to read a product's images with: the mapping's; for a
    mapping that has none yet (linked product, older row) the product's media adopted by file
    name from the entity's images, so they are neither uploaded again nor pulled back as CDN
    URLs."""
    if mapping is not None and mapping.media_sources is not None:
        return [
            MediaSource(id=str(m["id"]), source=str(m["source"])) for m in mapping.media_sources
        ]
    if attributes is None or product is None:
        return []
    images = push_values(attributes, [m for m in mappings if m.field == "images"], strict=False)
    sources = [url for url, _ in images.get("images") or []]
    return adopt_media(sources, media_of(product))


def mapping_values(
    product: ProductRecord,
    mappings: Sequence[FieldMapping],
    *,
    checksum: str | None,
    media: Sequence[MediaSource],
    now: datetime,
    pushed: bool,
    sent_images: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Column values of the mapping of `product` after a push (`pushed`) or a pull.

    `checksum` is the entity's side (None: the next run must push again); `media` the media
    sources known before this write; `sent_images` the sources a push just sent as files.
    """
    sources = media_sources_after(product, media, sent_images)
    values: dict[str, Any] = {
        "external_id": product["id"],
        "external_variant_ids": [variant["id"] for variant in product["variants"]],
        "variant_keys": [dict(key) for key in variant_keys(product)],
        "media_sources": [dict(source) for source in sources],
        "checksum": checksum,
        "remote_checksum": product_checksum(product, mappings, sources=sources),
        "updated_at": now,
    }
    values["last_pushed_at" if pushed else "last_pulled_at"] = now
    return values
