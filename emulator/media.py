"""Product media as Shopify creates them: always a new file, renamed on a name collision, and
processed asynchronously.

- `FileSetInput.originalSource` creates a file every time; `FileSetInput.id` names an existing one
  ("The ID of an existing file", Shopify's SDL).
- `duplicateResolutionMode` defaults to `APPEND_UUID`: "Append a UUID if filename is already in
  use"; `RAISE_ERROR` refuses the name (enum FileCreateInputDuplicateResolutionMode). The filename
  is `filename` or "the filename from the `originalSource`" (FileSetInput.filename).
- A new media is `PROCESSING` with `image` null until processed, then `READY`, or `FAILED` when
  the source cannot be fetched (https://shopify.dev/docs/api/admin-graphql/latest/enums/MediaStatus;
  "image: The image for the media. Returns `null` until `status` is `READY`", MediaImage docs).
  The emulator fetches nothing: a source on the reserved `.invalid` top-level domain (RFC 2606) is
  its model of an unreachable one.
"""

import posixpath
import uuid
from urllib.parse import urlsplit

from emulator.models import MediaImage
from emulator.store import Store

PROCESSING, READY, FAILED = "PROCESSING", "READY", "FAILED"


def source_filename(source: str) -> str:
    name = posixpath.basename(urlsplit(source).path)
    return name or "file"


def filename_taken(store: Store, filename: str) -> bool:
    return filename in store.filenames


def _unique(store: Store, filename: str) -> str:
    if filename not in store.filenames:
        return filename
    stem, ext = posixpath.splitext(filename)
    return f"{stem}_{uuid.uuid4()}{ext}"


def _unreachable(source: str) -> bool:
    parts = urlsplit(source)
    host = (parts.hostname or "").lower()
    return parts.scheme not in ("http", "https") or not host or host.endswith(".invalid")


def create_media(
    store: Store, source: str, alt: str | None, filename: str | None = None
) -> MediaImage:
    """A new file in the shop's library (never reused), PROCESSING for `store.media_delay`."""
    now = store.now()
    name = _unique(store, filename or source_filename(source))
    media = MediaImage(
        store.next_id(),
        store.next_id(),
        source,
        alt,
        now,
        now,
        filename=name,
        ready_at=store.clock.precise() + store.media_delay,
        failed=_unreachable(source),
    )
    store.library[media.id] = media
    store.filenames.add(name)
    return media


def seeded_media(store: Store, source: str, alt: str | None) -> MediaImage:
    """An image uploaded long ago (seed data): READY at once."""
    media = create_media(store, source, alt)
    media.ready_at = 0.0
    return media


def media_status(store: Store, media: MediaImage) -> str:
    if store.clock.precise() < media.ready_at:
        return PROCESSING
    return FAILED if media.failed else READY


def cdn_url(store: Store, media: MediaImage) -> str:
    """Where Shopify serves a processed image: its CDN, under the file's (possibly renamed)
    name, never the source URL it was created from."""
    shop = f"{store.shop.shop_id:010d}"
    return (
        f"https://cdn.shopify.com/s/files/1/{shop[:4]}/{shop[4:8]}/{shop[8:]}/files/"
        f"{media.filename}?v={media.image_id}"
    )
