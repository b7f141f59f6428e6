"""Pairing rules for linking an existing catalog (pure; sync.linking does the I/O).

Given, for each candidate store product, the unlinked entities sharing one of its match keys,
decide which entity-product pairs are linked one to one and which are ambiguous:
- an entity matching exactly one product, which matches only that entity, is a pair;
- an entity matching several products is ambiguous, and so is every product among them that
  matches several entities;
- a product found ambiguous before stays so: an entity that meets it later is ambiguous too, as
  linking it elsewhere or creating it would duplicate that product.
"""

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field


@dataclass
class Pairing:
    pairs: list[tuple[str, str]] = field(default_factory=list)  # (entity id, product id)
    # entity id -> the products it matches; product id -> the entities it matches
    ambiguous_entities: dict[str, set[str]] = field(default_factory=dict)
    ambiguous_products: dict[str, set[str]] = field(default_factory=dict)


def pair(
    entities_of: Mapping[str, set[str]],
    *,
    wanted: Collection[str] | None = None,
    decided: Collection[str] = (),
    blocked_products: Collection[str] = (),
) -> Pairing:
    """`entities_of`: product id -> unlinked entities sharing a key. Only entities in `wanted`
    (all when None) and not in `decided` are decided."""
    products_of: dict[str, set[str]] = defaultdict(set)
    for product_id, entities in entities_of.items():
        for entity_id in entities:
            products_of[entity_id].add(product_id)
    result = Pairing()
    blocked = set(blocked_products)
    for entity_id, product_ids in sorted(products_of.items()):
        if entity_id in decided or (wanted is not None and entity_id not in wanted):
            continue
        only = next(iter(product_ids))
        if len(product_ids) == 1 and entities_of[only] == {entity_id} and only not in blocked:
            result.pairs.append((entity_id, only))
            continue
        result.ambiguous_entities[entity_id] = set(product_ids)
        for product_id in sorted(product_ids):
            entities = entities_of[product_id]
            if len(entities) > 1 and product_id not in blocked:
                blocked.add(product_id)
                result.ambiguous_products[product_id] = set(entities)
    return result
