"""productSet: list replacement, variant and file identity, Shopify's limits, customId upsert."""

from typing import Any

from emulator.runner import Emulator
from tests.helpers.emulator_calls import DEFINITION, Call, product_set, sized_input


def codes(result: dict[str, Any]) -> list[str]:
    return [e["code"] for e in result["userErrors"]]


async def test_create_without_options_gets_default_title(gql: Call) -> None:
    result = await product_set(gql, {"title": "Plain Mug"})
    product = result["product"]
    assert result["userErrors"] == []
    assert product["options"] == [{"name": "Title", "values": ["Default Title"]}]
    assert len(product["variants"]["nodes"]) == 1
    assert product["handle"] == "plain-mug"
    second = await product_set(gql, {"title": "Plain Mug"})
    assert second["product"]["handle"] == "plain-mug-1"


async def test_list_replacement_and_variant_identity(emu: Emulator, gql: Call) -> None:
    files = [
        {"originalSource": "https://cdn.example.com/1.jpg", "contentType": "IMAGE", "alt": "one"}
    ]
    metafields = [
        {"namespace": "custom", "key": "a", "type": "single_line_text_field", "value": "1"},
        {"namespace": "custom", "key": "b", "type": "single_line_text_field", "value": "2"},
    ]
    first = (
        await product_set(
            gql, sized_input(["S", "M"], ["Red"], files=files, metafields=metafields, tags=["x"])
        )
    )["product"]
    ids = {v["sku"]: v["id"] for v in first["variants"]["nodes"]}
    [media] = first["media"]["nodes"]
    assert media["image"]["altText"] == "one"
    assert media["image"]["url"].startswith("https://cdn.shopify.com/s/files/1/")
    assert "/files/1.jpg?v=" in media["image"]["url"]  # Shopify's CDN, not the source
    emu.clock.advance(5)
    data = sized_input(["M", "L"], ["Red"], metafields=metafields[:1])
    data["variants"][0]["price"] = "12.00"
    data["variants"][0]["id"] = ids["SKU-M-Red"]
    second = (await product_set(gql, data, {"id": first["id"]}))["product"]
    skus = {v["sku"]: v for v in second["variants"]["nodes"]}
    assert set(skus) == {"SKU-M-Red", "SKU-L-Red"}  # S deleted, L created
    assert skus["SKU-M-Red"]["id"] == ids["SKU-M-Red"]  # named by id: updated in place
    assert skus["SKU-M-Red"]["price"] == "12.00"
    assert second["metafields"]["nodes"] == [metafields[0]]
    assert second["media"]["nodes"] == first["media"]["nodes"]  # files omitted: unchanged
    assert second["tags"] == ["x"]  # scalar omitted: unchanged
    assert second["updatedAt"] > first["updatedAt"]
    third = (await product_set(gql, {"files": []}, {"id": first["id"]}))["product"]
    assert third["media"]["nodes"] == [] and len(third["variants"]["nodes"]) == 2
    assert emu.store.file_count() == 1  # detached, still in the file library


async def test_variant_without_id_is_new_even_with_the_same_options(
    emu: Emulator, gql: Call
) -> None:
    first = (await product_set(gql, sized_input(["S"], ["Red"])))["product"]
    [old] = first["variants"]["nodes"]
    product = emu.store.products[int(first["id"].rsplit("/", 1)[1])]
    product.variants[0].stock = {emu.store.locations[0].id: 9}
    old_item = product.variants[0].inventory_item_id
    again = (await product_set(gql, sized_input(["S"], ["Red"]), {"id": first["id"]}))["product"]
    [new] = again["variants"]["nodes"]
    assert new["id"] != old["id"] and new["selectedOptions"] == old["selectedOptions"]
    variant = emu.store.products[product.id].variants[0]
    assert variant.inventory_item_id != old_item and variant.inventory_quantity == 0
    assert emu.store.variant_owner(int(old["id"].rsplit("/", 1)[1])) is None


async def test_files_by_id_are_kept_and_sources_always_upload(emu: Emulator, gql: Call) -> None:
    files = [
        {"originalSource": "https://img.example.com/a.jpg", "alt": "A"},
        {"originalSource": "https://img.example.com/b.jpg", "alt": "B"},
    ]
    created = (await product_set(gql, {"title": "Mug", "files": files}))["product"]
    _, body = await gql(
        "query($id: ID!) { product(id: $id) { media(first: 5) { nodes { id alt } } } }",
        {"id": created["id"]},
    )
    a, b = body["data"]["product"]["media"]["nodes"]
    assert emu.store.file_count() == 2
    # Same list by id, reordered, one alt changed: no new file.
    reorder = [{"id": b["id"], "alt": "B2"}, {"id": a["id"]}]
    await product_set(gql, {"files": reorder}, {"id": created["id"]})
    _, body = await gql(
        "query($id: ID!) { product(id: $id) { media(first: 5) { nodes { id alt } } } }",
        {"id": created["id"]},
    )
    assert body["data"]["product"]["media"]["nodes"] == [
        {"id": b["id"], "alt": "B2"},
        {"id": a["id"], "alt": "A"},
    ]
    assert emu.store.file_count() == 2
    # The same sources again: two new files, renamed because the names are taken.
    result = await product_set(gql, {"files": files}, {"id": created["id"]})
    assert result["userErrors"] == []
    assert emu.store.file_count() == 4
    unknown = await product_set(
        gql, {"files": [{"id": "gid://shopify/MediaImage/1"}]}, {"id": created["id"]}
    )
    assert unknown["userErrors"][0]["field"] == ["input", "files", "0", "id"]


async def test_variant_matched_by_id(gql: Call) -> None:
    first = (await product_set(gql, sized_input(["S"], ["Red"])))["product"]
    variant_id = first["variants"]["nodes"][0]["id"]
    data = sized_input(["S"], ["Blue"])
    data["variants"][0]["id"] = variant_id
    second = (await product_set(gql, data, {"id": first["id"]}))["product"]
    assert second["variants"]["nodes"][0]["id"] == variant_id
    assert second["variants"]["nodes"][0]["selectedOptions"][1] == {
        "name": "Color",
        "value": "Blue",
    }


async def test_unchanged_input_does_not_bump_updated_at(emu: Emulator, gql: Call) -> None:
    first = (await product_set(gql, sized_input(["S"], ["Red"])))["product"]
    emu.clock.advance(10)
    data = sized_input(["S"], ["Red"])
    data["variants"][0]["id"] = first["variants"]["nodes"][0]["id"]
    again = (await product_set(gql, data, {"id": first["id"]}))["product"]
    assert again["updatedAt"] == first["updatedAt"]


async def test_limits_are_user_errors(emu: Emulator, gql: Call) -> None:
    four = {
        "title": "T",
        "productOptions": [{"name": n, "values": [{"name": "x"}]} for n in "ABCD"],
        "variants": [{"optionValues": [{"optionName": n, "name": "x"} for n in "ABCD"]}],
    }
    assert "OPTIONS_OVER_LIMIT" in codes(await product_set(gql, four))
    only_options = sized_input(["S"], ["Red"])
    del only_options["variants"]
    assert codes(await product_set(gql, only_options)) == ["VARIANTS_INPUT_MISSING"]
    only_variants = sized_input(["S"], ["Red"])
    del only_variants["productOptions"]
    assert codes(await product_set(gql, only_variants)) == ["PRODUCT_OPTIONS_INPUT_MISSING"]
    duplicate = sized_input(["S"], ["Red"])
    duplicate["variants"].append(dict(duplicate["variants"][0]))
    assert codes(await product_set(gql, duplicate)) == ["INVALID_VARIANT"]
    bad_price = sized_input(["S"], ["Red"])
    bad_price["variants"][0]["price"] = "-1"
    result = await product_set(gql, bad_price)
    assert codes(result) == ["INVALID_VARIANT"] and result["userErrors"][0]["field"] == [
        "input",
        "variants",
        "0",
        "price",
    ]
    unknown_value = sized_input(["S"], ["Red"])
    unknown_value["variants"][0]["optionValues"][0]["name"] = "XXL"
    assert codes(await product_set(gql, unknown_value)) == ["OPTION_VALUE_DOES_NOT_EXIST"]
    unknown_option = sized_input(["S"], ["Red"])
    unknown_option["variants"][0]["optionValues"][0]["optionName"] = "Fit"
    assert codes(await product_set(gql, unknown_option)) == ["OPTION_DOES_NOT_EXIST"]
    assert codes(await product_set(gql, {"vendor": "no title"})) == ["INVALID_PRODUCT"]
    dup_names = sized_input(["S"], ["Red"])
    dup_names["productOptions"][1]["name"] = "size"
    assert "DUPLICATED_OPTION_NAME" in codes(await product_set(gql, dup_names))
    values = [str(n) for n in range(2049)]
    many = {
        "title": "Many",
        "productOptions": [{"name": "N", "values": [{"name": v} for v in values]}],
        "variants": [{"optionValues": [{"optionName": "N", "name": v}]} for v in values],
    }
    assert "VARIANTS_OVER_LIMIT" in codes(await product_set(gql, many))
    missing = await product_set(gql, {"title": "x"}, {"id": "gid://shopify/Product/42"})
    assert codes(missing) == ["NOT_FOUND"]
    await product_set(gql, {"title": "Taken", "handle": "taken"})
    assert codes(await product_set(gql, {"title": "Other", "handle": "taken"})) == [
        "HANDLE_NOT_UNIQUE"
    ]
    assert len(emu.store.products) == 1  # nothing with userErrors was written


async def test_custom_id_upsert_needs_a_unique_definition(emu: Emulator, gql: Call) -> None:
    identifier = {"customId": {"namespace": "sigma", "key": "entity_id", "value": "E-1"}}
    assert codes(await product_set(gql, {"title": "A"}, identifier)) == ["INVALID_INPUT"]
    _, body = await gql(DEFINITION)
    assert body["data"]["metafieldDefinitionCreate"]["userErrors"] == []
    _, body = await gql(DEFINITION)
    assert body["data"]["metafieldDefinitionCreate"]["userErrors"][0]["code"] == "TAKEN"
    created = await product_set(gql, {"title": "A"}, identifier)
    assert {
        "namespace": "sigma",
        "key": "entity_id",
        "type": "single_line_text_field",
        "value": "E-1",
    } in created["product"]["metafields"]["nodes"]
    updated = await product_set(gql, {"title": "B"}, identifier)
    assert (
        updated["product"]["id"] == created["product"]["id"] and updated["product"]["title"] == "B"
    )
    assert len(emu.store.products) == 1
    mismatch = await product_set(gql, {"title": "C", "metafields": []}, identifier)
    assert codes(mismatch) == ["METAFIELD_MISMATCH"]
    _, body = await gql(
        '{ productByIdentifier(identifier: {customId: {namespace: "sigma", key: "entity_id", '
        'value: "E-1"}}) { title } }'
    )
    assert body["data"]["productByIdentifier"] == {"title": "B"}
