"""Which Shopify variant and media stand for which PIM variant and image (no I/O).

A mapping remembers, per product, the variants it knows (`variant_keys`: id, option combination,
SKU) and the media it uploaded or adopted (`media_sources`: Shopify media id -> the PIM's source
URL). A push sends those ids back, so Shopify updates in place instead of creating new variants
(new ids, new inventory items, stock reset) or uploading the same image again; the checksum and
pull read a product's images as their sources, never as CDN URLs, which Shopify renames on a
collision (`_<uuid>` suffix) and leaves null while a media is PROCESSING.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from sync.product import MediaRecord, ProductRecord

DEFAULT_OPTION_NAME = "Title"
DEFAULT_OPTION_VALUE = "Default Title"


class VariantKey(TypedDict):
    id: str
    options: dict[str, str]
    sku: str | None


class MediaSource(TypedDict):
    id: str
    source: str


def variant_keys(product: ProductRecord) -> list[VariantKey]:
    return [
        VariantKey(
            id=variant["id"],
            options={o["name"]: o["value"] for o in variant["selectedOptions"]},
            sku=variant["sku"] or None,
        )
        for variant in product["variants"]
    ]


def _combination(options: Mapping[str, Any]) -> frozenset[tuple[str, str]]:
    return frozenset((str(k).casefold(), str(v).casefold()) for k, v in options.items())


def match_variant_ids(
    variants: Sequence[Mapping[str, Any]], known: Sequence[VariantKey]
) -> list[str | None]:
    """The id each PIM variant updates: the known variant with the same option combination,
    else the one with the same SKU; None makes a new variant. No id is used twice."""
    ids: list[str | None] = [None] * len(variants)
    if not known:
        return ids  # a create: nothing to match
    free = list(known)
    for index, variant in enumerate(variants):
        combination = _combination(variant.get("options") or {})
        found = next((k for k in free if _combination(k["options"]) == combination), None)
        if found is not None:
            ids[index] = found["id"]
            free.remove(found)
    for index, variant in enumerate(variants):
        sku = variant.get("sku")
        if ids[index] is not None or not sku:
            continue
        found = next((k for k in free if k["sku"] == sku), None)
        if found is not None:
            ids[index] = found["id"]
            free.remove(found)
    return ids


def single_variant_id(known: Sequence[VariantKey], sku: str | None = None) -> str | None:
    """The variant a channel's `variant.*` fields write: Shopify's default variant when there is
    one, else the one with the PIM's SKU, else the first (the one the product was created with)."""
    for key in known:
        if key["options"] == {DEFAULT_OPTION_NAME: DEFAULT_OPTION_VALUE}:
            return key["id"]
    if sku:
        for key in known:
            if key["sku"] == sku:
                return key["id"]
    return known[0]["id"] if known else None


_UUID_SUFFIX = re.compile(r"_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def file_stem(url: str) -> str:
    """The file name of a URL without query, extension or Shopify's `_<uuid>` collision suffix."""
    name = url.split("?", 1)[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return _UUID_SUFFIX.sub("", stem).casefold()


def adopt_media(sources: Sequence[str], media: Sequence[MediaRecord]) -> list[MediaSource]:
    """Media of a product we have no record for (a linked product, or a mapping older than
    media_sources), matched to the PIM's sources by file name, so they are kept, not uploaded
    again. A name that matches more than one medium is left unmatched."""
    by_stem: dict[str, list[MediaRecord]] = {}
    for medium in media:
        if medium["url"]:
            by_stem.setdefault(file_stem(medium["url"]), []).append(medium)
    adopted: list[MediaSource] = []
    for source in dict.fromkeys(sources):
        candidates = by_stem.get(file_stem(source), [])
        if len(candidates) == 1:
            adopted.append(MediaSource(id=candidates[0]["id"], source=source))
    return adopted


def media_of(product: ProductRecord) -> list[MediaRecord]:
    """A product's media; records built without ids (tests, old callers) use their URLs."""
    if "media" in product:
        return product["media"]
    return [MediaRecord(id=url, url=url, alt=None) for url in product["images"]]


def media_sources_after(
    product: ProductRecord,
    previous: Sequence[MediaSource],
    sent: Sequence[str] | None = None,
) -> list[MediaSource]:
    """Media id -> source for every medium of the product, in its order.

    Known media keep their source. After a push (`sent`: the sources of the files sent, in
    order) the product's media are exactly those files in that order, so new media take the
    sent sources by position. Any other medium stands for its own CDN URL: a merchant's image
    comes back to the PIM once as that URL and is kept, not uploaded again, afterwards.
    """
    known = {item["id"]: item["source"] for item in previous}
    media = media_of(product)
    result: list[MediaSource] = []
    for position, medium in enumerate(media):
        source = known.get(medium["id"])
        if source is None and sent is not None and len(sent) == len(media):
            source = sent[position]
        if source is None:
            source = medium["url"]
        if source:
            result.append(MediaSource(id=medium["id"], source=source))
    return result


def image_sources(
    product: ProductRecord, sources: Sequence[MediaSource] | None
) -> list[tuple[str, str | None]]:
    """(source, alt) of each image of the product, in order: its PIM source when known, else its
    CDN URL; a medium still processing with no known source has no URL yet and is left out."""
    known = {item["id"]: item["source"] for item in sources or ()}
    images: list[tuple[str, str | None]] = []
    for medium in media_of(product):
        source = known.get(medium["id"]) or medium["url"]
        if source:
            images.append((source, medium["alt"] or None))
    return images
