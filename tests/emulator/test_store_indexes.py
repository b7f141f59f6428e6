"""The store's lookup indexes (customId value and variant id -> product) follow every write."""

from typing import Any

from emulator.clock import Clock
from emulator.models import Metafield, Product
from emulator.runner import Emulator
from emulator.seed import seed_products
from emulator.store import ShopInfo, Store
from tests.helpers.emulator_calls import DEFINITION, Call, product_set, sized_input

BY_CUSTOM_ID = """query($value: String!) { productByIdentifier(identifier: {customId: {
  namespace: "sigma", key: "entity_id", value: $value}}) { id } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on ProductVariant { product { id } } } }"
UPDATE = """mutation($p: ProductUpdateInput) { productUpdate(product: $p) {
  product { id } userErrors { field message } } }"""
DELETE = """mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId } }"""
VARIANTS_CREATE = """mutation($id: ID!, $v: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $id, variants: $v) {
    productVariants { id } userErrors { code } } }"""
VARIANTS_DELETE = """mutation($id: ID!, $ids: [ID!]!) {
  productVariantsBulkDelete(productId: $id, variantsIds: $ids) { userErrors { code } } }"""


def _entity(value: str) -> dict[str, Any]:
    return {
        "namespace": "sigma",
        "key": "entity_id",
        "type": "single_line_text_field",
        "value": value,
    }


def _custom_id(value: str) -> dict[str, Any]:
    return {"customId": {"namespace": "sigma", "key": "entity_id", "value": value}}


async def _holder(gql: Call, value: str) -> str | None:
    _, body = await gql(BY_CUSTOM_ID, {"value": value})
    found = body["data"]["productByIdentifier"]
    return None if found is None else str(found["id"])


async def _with_definition(gql: Call) -> None:
    _, body = await gql(DEFINITION)
    assert body["data"]["metafieldDefinitionCreate"]["userErrors"] == []


async def test_custom_id_follows_product_set_value_change_and_removal(gql: Call) -> None:
    await _with_definition(gql)
    created = await product_set(
        gql, {"title": "A", "metafields": [_entity("E-1")]}, _custom_id("E-1")
    )
    product_id = created["product"]["id"]
    assert await _holder(gql, "E-1") == product_id

    changed = await product_set(gql, {"metafields": [_entity("E-2")]}, {"id": product_id})
    assert changed["userErrors"] == []
    assert await _holder(gql, "E-1") is None
    assert await _holder(gql, "E-2") == product_id

    # productSet's list replacement drops the metafield, and with it the index entry.
    other = {"namespace": "custom", "key": "x", "type": "single_line_text_field", "value": "1"}
    await product_set(gql, {"metafields": [other]}, {"id": product_id})
    assert await _holder(gql, "E-2") is None
    again = await product_set(gql, {"title": "B"}, _custom_id("E-2"))
    assert again["product"]["id"] != product_id


async def test_product_update_and_delete_keep_uniqueness_right(gql: Call) -> None:
    await _with_definition(gql)
    first = (await product_set(gql, {"title": "A"}, _custom_id("E-1")))["product"]["id"]
    second = (await product_set(gql, {"title": "B"}, _custom_id("E-2")))["product"]["id"]

    _, body = await gql(UPDATE, {"p": {"id": first, "metafields": [_entity("E-2")]}})
    [error] = body["data"]["productUpdate"]["userErrors"]
    assert "already in use" in error["message"]

    _, body = await gql(UPDATE, {"p": {"id": first, "metafields": [_entity("E-3")]}})
    assert body["data"]["productUpdate"]["userErrors"] == []
    assert await _holder(gql, "E-1") is None
    assert await _holder(gql, "E-3") == first
    # E-1 is free again, so another product may take it.
    _, body = await gql(UPDATE, {"p": {"id": second, "metafields": [_entity("E-1")]}})
    assert body["data"]["productUpdate"]["userErrors"] == []
    assert await _holder(gql, "E-1") == second

    await gql(DELETE, {"id": second})
    assert await _holder(gql, "E-1") is None
    reused = await product_set(gql, {"title": "C", "metafields": [_entity("E-1")]})
    assert reused["userErrors"] == []
    assert await _holder(gql, "E-1") == reused["product"]["id"]


async def _owner(gql: Call, variant_id: str) -> str | None:
    _, body = await gql(NODE, {"id": variant_id})
    node = body["data"]["node"]
    return None if node is None else str(node["product"]["id"])


async def test_variant_owner_follows_variant_changes_and_deletes(gql: Call) -> None:
    product = (await product_set(gql, sized_input(["S", "M"], ["Red"])))["product"]
    old_ids = [v["id"] for v in product["variants"]["nodes"]]
    assert [await _owner(gql, v) for v in old_ids] == [product["id"]] * 2

    data = sized_input(["M", "L"], ["Red"])
    data["variants"][0]["id"] = old_ids[1]  # M/Red named by id; L/Red new; S/Red left out
    replaced = await product_set(gql, data, {"id": product["id"]})
    new_ids = [v["id"] for v in replaced["product"]["variants"]["nodes"]]
    assert new_ids[0] == old_ids[1]  # M/Red kept its id; S/Red was deleted
    assert await _owner(gql, old_ids[0]) is None
    assert await _owner(gql, new_ids[1]) == product["id"]

    values = [{"optionName": "Size", "name": "XL"}, {"optionName": "Color", "name": "Red"}]
    _, body = await gql(VARIANTS_CREATE, {"id": product["id"], "v": [{"optionValues": values}]})
    [added] = body["data"]["productVariantsBulkCreate"]["productVariants"]
    assert await _owner(gql, added["id"]) == product["id"]
    _, body = await gql(VARIANTS_DELETE, {"id": product["id"], "ids": [added["id"]]})
    assert body["data"]["productVariantsBulkDelete"]["userErrors"] == []
    assert await _owner(gql, added["id"]) is None

    await gql(DELETE, {"id": product["id"]})
    assert await _owner(gql, new_ids[0]) is None


def _scan_by_metafield(store: Store, namespace: str, key: str, value: str) -> Product | None:
    for product in store.products.values():
        mf = product.metafield(namespace, key)
        if mf is not None and mf.value == value:
            return product
    return None


async def test_seeded_store_indexes_match_a_full_scan(emu: Emulator) -> None:
    store = Store(ShopInfo("s", "s.myshopify.com"), Clock())
    seeded = seed_products(store, 60, seed=3)
    for material in ("Cotton", "Wool", "Linen", "Silk"):
        expected = _scan_by_metafield(store, "custom", "material", material)
        assert store.product_by_metafield("custom", "material", material) is expected
    assert store.product_by_metafield("custom", "material", "Cotton") is not None
    for product in seeded[:10]:
        for variant in product.variants:
            assert store.variant_owner(variant.id) is product
    assert store.variant_count() == sum(len(p.variants) for p in seeded)

    # Shared values (no unique definition): the first holder in store order, as a scan finds.
    first_cotton = _scan_by_metafield(store, "custom", "material", "Cotton")
    assert first_cotton is not None
    store.delete_product(first_cotton.id)
    assert store.variant_owner(first_cotton.variants[0].id) is None
    expected = _scan_by_metafield(store, "custom", "material", "Cotton")
    assert expected is not None and expected is not first_cotton
    assert store.product_by_metafield("custom", "material", "Cotton") is expected

    # In-place edits become visible after reindex_product, and the old value is forgotten.
    target = seeded[-1]
    mf = target.metafield("custom", "material")
    assert mf is not None
    mf.value = "Hemp"
    target.metafields.append(Metafield(store.next_id(), "sigma", "entity_id", "t", "E-9", 0, 0))
    store.reindex_product(target)
    assert store.product_by_metafield("custom", "material", "Hemp") is target
    assert store.product_by_metafield("sigma", "entity_id", "E-9") is target
    assert _scan_by_metafield(store, "custom", "material", "Linen") is store.product_by_metafield(
        "custom", "material", "Linen"
    )
