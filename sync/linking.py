"""Linking an existing catalog: store products without our identity that match unlinked
entities by the channel's `matchBy` key are linked (identity metafield via metafieldsSet, plus
a mapping) before a push creates products or a pull creates entities; the rules are in
sync.link_pairing, the whole story in docs/sync-semantics.md ("Existing catalogs: linking").

Candidates come from `products(query: "sku:... OR ...")` for a few new entities, or from a
whole-store read when many are new (one bulk read instead of thousands of searches) and for
pulls and syncs, which read the store anyway. The entity side is an index of every unlinked
entity of the channel, so "matches several entities" holds across batches.
"""

import copy
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, TypeVar

from db.entities import iter_entity_batches
from db.enums import MatchBy
from db.models import Entity, SyncMapping
from db.sync_mappings import mapping_checksums, mappings_for_products
from sync.link_pairing import pair
from sync.link_writes import Link, tally, write_links
from sync.match_keys import entity_keys, product_keys, search_query, searchable
from sync.pacer import pace
from sync.product import ProductRecord
from sync.product_source import product_pages
from sync.pull_values import entity_id_from_product
from sync.run import BulkMode, Run

# Keys per products(query:) search: short enough for any search string limit, few requests.
SEARCH_BATCH = 25


class _HasEntity(Protocol):
    entity: Entity
    mapping: SyncMapping | None


Item = TypeVar("Item", bound=_HasEntity)


@dataclass
class Linker:
    run: Run
    match_by: MatchBy = MatchBy.SKU
    # key -> the unmapped entity of the channel holding it (a set when several do); built only
    # once a store product could match, so a push into a new store never reads it. One id per
    # key rather than a set: at 100,000 entities the sets alone were ~100 MB.
    _index: dict[str, str | set[str]] | None = None
    # unmapped store products without an identity whose keys hit the index
    candidates: dict[str, ProductRecord] = field(default_factory=dict)
    links: dict[str, Link] = field(default_factory=dict)  # by entity id
    blocked_entities: set[str] = field(default_factory=set)
    blocked_products: set[str] = field(default_factory=set)
    _decided: set[str] = field(default_factory=set)  # entity ids resolved already
    _searched: set[str] = field(default_factory=set)
    _whole_store_read: bool = False

    def __post_init__(self) -> None:
        self.match_by = MatchBy(self.run.channel.match_by)
        tally(self.run, "linked", 0)

    # -- the entity side --------------------------------------------------------------------

    async def index(self) -> dict[str, str | set[str]]:
        if self._index is not None:
            return self._index
        run, channel = self.run, self.run.channel
        index: dict[str, str | set[str]] = {}
        async for batch in iter_entity_batches(
            run.sessions, channel.schema_id, channel.catalog_ids, None, run.options.batch_size
        ):
            async with run.sessions() as session:
                mapped = await mapping_checksums(session, channel.id, [e.id for e in batch])
            for entity in batch:
                await pace()
                if entity.id in mapped:
                    continue
                for key in entity_keys(entity.attributes, run.mappings, self.match_by):
                    holders = index.setdefault(key, entity.id)
                    if isinstance(holders, set):
                        holders.add(entity.id)
                    elif holders != entity.id:
                        index[key] = {holders, entity.id}
        self._index = index
        return index

    def _holders(self, key: str) -> set[str]:
        assert self._index is not None
        holders = self._index.get(key)
        if holders is None:
            return set()
        return set(holders) if isinstance(holders, set) else {holders}

    def _entities_of(self, product: ProductRecord) -> set[str]:
        found: set[str] = set()
        for key in product_keys(product, self.match_by):
            found |= self._holders(key)
        return found

    def _keys(self, entity: Entity) -> frozenset[str]:
        return entity_keys(entity.attributes, self.run.mappings, self.match_by)

    # -- the product side -------------------------------------------------------------------

    async def offer(self, product: ProductRecord, mapped: bool) -> bool:
        """Keep `product` as a candidate when it could be linked; True when the caller must not
        treat it as a new product (it is a candidate, or it was blocked as ambiguous)."""
        if product["id"] in self.blocked_products:
            return True
        if mapped or entity_id_from_product(product) is not None:
            return False
        keys = product_keys(product, self.match_by)
        if not keys:
            return False
        index = await self.index()
        if not any(key in index for key in keys):
            return False
        self.candidates[product["id"]] = product
        return True

    def store_was_read(self) -> None:
        """The caller offered every product of the store: no search can find more."""
        self._whole_store_read = True

    async def _read_whole_store(self) -> None:
        """Every unmapped product of the store that matches an entity becomes a candidate."""
        self._whole_store_read = True
        run = self.run
        details = run.recorder.details
        if not await run.client.has_products():
            # A new store: nothing to link, and no bulk operation to wait for.
            details["linking"]["storeRead"] = "empty"
            return
        pull_mode = details.get("pullMode")
        async for page in product_pages(run, None):
            async with run.sessions() as session:
                mapped = await mappings_for_products(
                    session, run.channel.id, [p["id"] for p in page]
                )
            for product in page:
                await self.offer(product, product["id"] in mapped)
        # product_pages labels the run's pull; this read belongs to the linking
        details["linking"]["storeRead"] = details.pop("pullMode", None)
        if pull_mode is not None:
            details["pullMode"] = pull_mode

    async def _search(self, entity_keys: Iterable[frozenset[str]]) -> None:
        """Candidates for these entities' keys, found with Shopify's search."""
        keys = sorted({key for keys in entity_keys for key in keys} - self._searched)
        self._searched.update(keys)
        run = self.run
        for start in range(0, len(keys), SEARCH_BATCH):
            query = search_query(self.match_by, keys[start : start + SEARCH_BATCH])
            async for page in run.client.search_product_keys(query):
                async with run.sessions() as session:
                    mapped = await mappings_for_products(
                        session, run.channel.id, [p["id"] for p in page]
                    )
                for product in page:
                    # Shopify's search may match loosely; offer() keeps exact key matches only.
                    await self.offer(product, product["id"] in mapped)

    # -- pairing ----------------------------------------------------------------------------

    async def resolve(self, entity_ids: Iterable[str] | None = None) -> list[Link]:
        """Pair the candidates with entities (all of them, or those of `entity_ids`), record the
        ambiguous ones as errors, write the links; returns the new links.

        Blocked products stay candidates, so an entity that meets one later is blocked too:
        linking it elsewhere or creating it would duplicate the product it also matches."""
        if not self.candidates:
            # Nothing to pair: building the index would read every entity of the channel, which
            # a sync with nothing new must not do (it costs what changed, not what exists).
            return []
        await self.index()
        linked = set(self.links)
        entities_of = {
            product_id: self._entities_of(product) - linked
            for product_id, product in self.candidates.items()
        }
        result = pair(
            entities_of,
            wanted=set(entity_ids) if entity_ids is not None else None,
            decided=self._decided,
            blocked_products=self.blocked_products,
        )
        self._decided.update(entity for entity, _ in result.pairs)
        self._decided.update(result.ambiguous_entities)
        by = self.match_by.value
        for product_id, entities in result.ambiguous_products.items():
            self.blocked_products.add(product_id)
            self._ambiguous(
                f"the product matches {len(entities)} entities by {by} "
                f"({', '.join(sorted(entities))}); it was left alone",
                external_id=product_id,
            )
        for entity_id, product_ids in result.ambiguous_entities.items():
            self.blocked_entities.add(entity_id)
            self._ambiguous(
                f"the entity matches store products by {by} ({', '.join(sorted(product_ids))}) "
                "that cannot be linked one to one; nothing was linked or created",
                entity_id=entity_id,
            )
        pairs = result.pairs
        return await self._write(pairs)

    def _ambiguous(
        self, message: str, entity_id: str | None = None, external_id: str | None = None
    ) -> None:
        self.run.recorder.fail(f"ambiguous match: {message}", entity_id, external_id)
        tally(self.run, "ambiguous")

    async def _write(self, pairs: Sequence[tuple[str, str]]) -> list[Link]:
        products = {product_id: self.candidates.pop(product_id) for _, product_id in pairs}
        links, failed = await write_links(self.run, pairs, products)
        self.blocked_entities.update(failed)
        for item in links:
            self.links[item.entity.id] = item
        return links

    # -- the push side ----------------------------------------------------------------------

    async def before_create(self, items: Sequence[Item]) -> list[Item]:
        """Items to push: an unmapped item whose entity was linked now carries its mapping (an
        update by id); one that is ambiguous is left out (its error is recorded)."""
        new = [item for item in items if item.mapping is None]
        if not new:
            return list(items)
        # Keys from the items' own attributes: the index is read only if a product could match.
        keyed: dict[str, frozenset[str]] = {}
        for item in new:
            await pace()
            if keys := self._keys(item.entity):
                keyed[item.entity.id] = keys
        if keyed:
            if not self._whole_store_read:
                run = self.run
                options = run.options
                unsearchable = any(not searchable(key) for keys in keyed.values() for key in keys)
                if (
                    options.bulk == BulkMode.ALWAYS
                    or len(keyed) >= options.bulk_threshold
                    or unsearchable
                ):
                    await self._read_whole_store()
                else:
                    await self._search(keyed.values())
            await self.resolve(keyed)
        result: list[Item] = []
        for item in items:
            entity_id = item.entity.id
            if item.mapping is None and entity_id in self.blocked_entities:
                continue
            link = self.links.get(entity_id) if item.mapping is None else None
            if link is not None:
                item = copy.copy(item)
                item.mapping = link.mapping
            result.append(item)
        return result

    def blocked(self, entity_id: str) -> bool:
        return entity_id in self.blocked_entities
