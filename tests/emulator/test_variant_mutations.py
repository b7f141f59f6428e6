"""productCreate/Update/Delete and productVariantsBulk* with typed userErrors."""

from tests.helpers.emulator_calls import Call

CREATE = """mutation($product: ProductCreateInput, $media: [CreateMediaInput!]) {
  productCreate(product: $product, media: $media) {
    product { id handle variants(first: 5) { nodes { id } } media(first: 5) { nodes {
      mediaContentType status alt } } }
    userErrors { field message } } }"""
BULK_CREATE = """mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkCreate(productId: $id, variants: $variants) {
    product { options { name values } variants(first: 10) { nodes { title } } }
    productVariants { id price inventoryItem { sku } }
    userErrors { field message code } } }"""
BULK_UPDATE = """mutation($id: ID!, $variants: [ProductVariantsBulkInput!]!) {
  productVariantsBulkUpdate(productId: $id, variants: $variants) {
    productVariants { id price barcode } userErrors { field code } } }"""
BULK_DELETE = """mutation($id: ID!, $ids: [ID!]!) {
  productVariantsBulkDelete(productId: $id, variantsIds: $ids) {
    product { variantsCount { count } } userErrors { field code } } }"""


async def _create(gql: Call) -> str:
    media = [
        {"originalSource": "https://cdn.example.com/x.jpg", "mediaContentType": "IMAGE", "alt": "x"}
    ]
    _, body = await gql(CREATE, {"product": {"title": "Tee", "vendor": "V"}, "media": media})
    payload = body["data"]["productCreate"]
    assert payload["userErrors"] == []
    assert payload["product"]["media"]["nodes"] == [
        {"mediaContentType": "IMAGE", "status": "READY", "alt": "x"}
    ]
    product_id: str = payload["product"]["id"]
    return product_id


async def test_product_create_requires_title(gql: Call) -> None:
    _, body = await gql(CREATE, {"product": {"vendor": "V"}})
    assert body["data"]["productCreate"] == {
        "product": None,
        "userErrors": [{"field": ["title"], "message": "Title can't be blank"}],
    }


async def test_bulk_create_replaces_standalone_default_variant(gql: Call) -> None:
    product_id = await _create(gql)
    variants = [
        {
            "optionValues": [{"optionName": "Size", "name": s}],
            "price": "5",
            "inventoryItem": {"sku": f"T-{s}"},
        }
        for s in ("S", "M")
    ]
    _, body = await gql(BULK_CREATE, {"id": product_id, "variants": variants})
    payload = body["data"]["productVariantsBulkCreate"]
    assert payload["userErrors"] == []
    assert payload["product"]["options"] == [{"name": "Size", "values": ["S", "M"]}]
    assert [v["title"] for v in payload["product"]["variants"]["nodes"]] == ["S", "M"]
    assert [v["inventoryItem"]["sku"] for v in payload["productVariants"]] == ["T-S", "T-M"]
    _, body = await gql(BULK_CREATE, {"id": product_id, "variants": variants[:1]})
    assert (
        body["data"]["productVariantsBulkCreate"]["userErrors"][0]["code"]
        == "VARIANT_ALREADY_EXISTS"
    )
    _, body = await gql(BULK_CREATE, {"id": "gid://shopify/Product/9", "variants": variants})
    assert (
        body["data"]["productVariantsBulkCreate"]["userErrors"][0]["code"]
        == "PRODUCT_DOES_NOT_EXIST"
    )


async def test_bulk_update_and_delete(gql: Call) -> None:
    product_id = await _create(gql)
    variants = [
        {"optionValues": [{"optionName": "Size", "name": s}], "price": "5"} for s in ("S", "M")
    ]
    _, body = await gql(BULK_CREATE, {"id": product_id, "variants": variants})
    ids = [v["id"] for v in body["data"]["productVariantsBulkCreate"]["productVariants"]]
    _, body = await gql(
        BULK_UPDATE,
        {"id": product_id, "variants": [{"id": ids[0], "price": "7.5", "barcode": "123"}]},
    )
    assert body["data"]["productVariantsBulkUpdate"]["productVariants"] == [
        {"id": ids[0], "price": "7.50", "barcode": "123"}
    ]
    _, body = await gql(
        BULK_UPDATE, {"id": product_id, "variants": [{"id": ids[0], "price": "-1"}]}
    )
    assert (
        body["data"]["productVariantsBulkUpdate"]["userErrors"][0]["code"] == "NEGATIVE_PRICE_VALUE"
    )
    _, body = await gql(BULK_UPDATE, {"id": product_id, "variants": [{"price": "1"}]})
    assert (
        body["data"]["productVariantsBulkUpdate"]["userErrors"][0]["code"]
        == "PRODUCT_VARIANT_ID_MISSING"
    )
    _, body = await gql(BULK_DELETE, {"id": product_id, "ids": ids})
    assert (
        body["data"]["productVariantsBulkDelete"]["userErrors"][0]["code"]
        == "CANNOT_DELETE_LAST_VARIANT"
    )
    _, body = await gql(BULK_DELETE, {"id": product_id, "ids": ids[:1]})
    assert body["data"]["productVariantsBulkDelete"] == {
        "product": {"variantsCount": {"count": 1}},
        "userErrors": [],
    }


async def test_update_and_delete_product(gql: Call) -> None:
    product_id = await _create(gql)
    update = (
        "mutation($p: ProductUpdateInput) { productUpdate(product: $p) { product { title "
        "tags } userErrors { field message } } }"
    )
    _, body = await gql(update, {"p": {"id": product_id, "title": "Renamed", "tags": ["b", "a"]}})
    assert body["data"]["productUpdate"]["product"] == {"title": "Renamed", "tags": ["a", "b"]}
    delete = (
        "mutation($id: ID!) { productDelete(input: {id: $id}) { deletedProductId "
        "userErrors { field message } } }"
    )
    _, body = await gql(delete, {"id": product_id})
    assert body["data"]["productDelete"] == {"deletedProductId": product_id, "userErrors": []}
    _, body = await gql(delete, {"id": product_id})
    assert body["data"]["productDelete"]["userErrors"] == [
        {"field": ["id"], "message": "Product does not exist"}
    ]
