"""`updated_at` searches read the store's updated_at order, which follows every product write."""

import random
from datetime import UTC, datetime

from emulator.clock import iso
from emulator.runner import Emulator
from emulator.search import updated_bounds
from emulator.updated_index import UpdatedIndex
from tests.helpers.emulator_calls import Call, product_set, sized_input

IDS = """query($q: String!) { products(first: 250, query: $q) { nodes { id } } }"""
UPDATE = """mutation($p: ProductUpdateInput) { productUpdate(product: $p) {
  userErrors { message } } }"""
VARIANTS_CREATE = """mutation($id: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $id, variants: $v) {
    productVariants { id } userErrors { code } } }"""
VARIANTS_UPDATE = """mutation($id: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $id, variants: $v) { userErrors { code } } }"""
VARIANTS_DELETE = """mutation($id: ID!, $ids: [ID!]!) {
  productVariantsBulkDelete(productId: $id, variantsIds: $ids) { userErrors { code } } }"""
METAFIELDS_SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  userErrors { message } } }"""
METAFIELDS_DELETE = """mutation($m: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $m) { userErrors { message } } }"""
DELETE = """mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId } }"""


async def _since(gql: Call, moment: int) -> set[str]:
    """Ids matching `updated_at:>=moment`, checked against the same search answered by a scan
    (an OR group is not narrowed by the index)."""
    query = f"updated_at:>='{iso(moment)}'"
    found = []
    for text in (query, f"{query} OR {query}"):
        _, body = await gql(IDS, {"q": text})
        assert "errors" not in body, body
        found.append({node["id"] for node in body["data"]["products"]["nodes"]})
    assert found[0] == found[1]
    return found[0]


async def test_every_product_write_moves_it_into_the_updated_window(
    emu: Emulator, gql: Call
) -> None:
    emu.clock.set(datetime(2026, 3, 1, tzinfo=UTC))
    product = (await product_set(gql, sized_input(["S", "M"], ["Red"])))["product"]
    pid = product["id"]
    untouched = (await product_set(gql, {"title": "Untouched"}))["product"]["id"]
    variant_ids = [v["id"] for v in product["variants"]["nodes"]]
    values = [{"optionName": "Size", "name": "L"}, {"optionName": "Color", "name": "Red"}]
    metafield = {"ownerId": pid, "namespace": "custom", "key": "k"}
    created = emu.clock.now()

    writes = [
        (UPDATE, {"p": {"id": pid, "title": "Renamed"}}),
        (VARIANTS_CREATE, {"id": pid, "v": [{"optionValues": values}]}),
        (VARIANTS_UPDATE, {"id": pid, "v": [{"id": variant_ids[0], "price": "9.50"}]}),
        (VARIANTS_DELETE, {"id": pid, "ids": [variant_ids[1]]}),
        (METAFIELDS_SET, {"m": [{**metafield, "type": "single_line_text_field", "value": "v"}]}),
        (METAFIELDS_DELETE, {"m": [metafield]}),
    ]
    for document, variables in writes:
        emu.clock.advance(60)
        moment = emu.clock.now()
        assert await _since(gql, moment) == set()
        _, body = await gql(document, variables)
        assert "errors" not in body, body
        assert await _since(gql, moment) == {pid}, document

    emu.clock.advance(60)
    moment = emu.clock.now()
    await product_set(gql, {"title": "Set again"}, {"id": pid})
    assert await _since(gql, moment) == {pid}
    assert await _since(gql, created + 1) == {pid}
    assert await _since(gql, created) == {pid, untouched}

    await gql(DELETE, {"id": pid})
    assert await _since(gql, moment) == set()
    assert len(emu.store.by_updated) == len(emu.store.products) == 1


async def test_an_unchanged_product_set_keeps_its_place(emu: Emulator, gql: Call) -> None:
    emu.clock.set(datetime(2026, 3, 1, tzinfo=UTC))
    created = (await product_set(gql, {"title": "Same"}))["product"]["id"]
    emu.clock.advance(60)
    await product_set(gql, {"title": "Same"}, {"id": created})
    assert await _since(gql, emu.clock.now()) == set()


def test_updated_bounds_from_the_search_syntax() -> None:
    at = "2026-03-01T00:00:00Z"
    moment = int(datetime(2026, 3, 1, tzinfo=UTC).timestamp())
    assert updated_bounds(f"updated_at:>='{at}'") == (moment, None)
    assert updated_bounds(f"updated_at:>'{at}'") == (moment + 1, None)
    assert updated_bounds(f"updated_at:<'{at}' tag:x") == (None, moment - 1)
    assert updated_bounds(f"updated_at:>='{at}' AND updated_at:<='{at}'") == (moment, moment)
    assert updated_bounds(f"updated_at:{at}") == (moment, moment)
    # Not narrowed: no updated_at term, a negated one, or OR groups.
    for query in (None, "", "tag:x", f"-updated_at:>'{at}'", f"updated_at:>'{at}' OR tag:x"):
        assert updated_bounds(query) is None


def test_index_matches_a_model_under_random_moves() -> None:
    rng = random.Random(7)
    index = UpdatedIndex()
    model: dict[int, int] = {}
    for _ in range(2000):
        product_id = rng.randrange(50)
        if rng.random() < 0.2:
            index.remove(product_id)
            model.pop(product_id, None)
        else:
            moment = rng.randrange(30)
            index.place(product_id, moment)
            model[product_id] = moment
        low, high = sorted(rng.sample(range(-1, 32), 2))
        expected = sorted((m, p) for p, m in model.items() if low <= m <= high)
        assert list(index.between(low, high)) == [p for _, p in expected]
        assert list(index.between(None, None)) == [p for p, _ in sorted(model.items(), key=_key)]
    assert len(index) == len(model)


def _key(item: tuple[int, int]) -> tuple[int, int]:
    return item[1], item[0]
