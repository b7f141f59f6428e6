"""metafieldsSet / metafieldsDelete: no list replacement, 25 per call, atomic, `$app` rules."""

from typing import Any

from emulator.models import Metafield
from emulator.runner import Emulator
from emulator.store import DEFAULT_API_CLIENT_ID
from tests.helpers.emulator_calls import Call, product_set

SET = """
mutation Set($m: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $m) {
    metafields { id namespace key type value compareDigest }
    userErrors { field message code elementIndex }
  }
}
"""
DELETE = """
mutation Delete($m: [MetafieldIdentifierInput!]!) {
  metafieldsDelete(metafields: $m) {
    deletedMetafields { ownerId namespace key }
    userErrors { field message }
  }
}
"""
READ = """
query Read($id: ID!) {
  product(id: $id) {
    updatedAt
    metafields(first: 50) { nodes { namespace key type value } }
    variants(first: 5) { nodes { id metafields(first: 5) { nodes { namespace key value } } } }
  }
}
"""
OWN = f"app--{DEFAULT_API_CLIENT_ID}"


async def _product(emu: Emulator, gql: Call) -> str:
    merchant = [
        {"namespace": "custom", "key": "care", "type": "single_line_text_field", "value": "Wash"},
        {"namespace": "reviews", "key": "rating", "type": "number_integer", "value": "4"},
    ]
    result = await product_set(gql, {"title": "Mug", "metafields": merchant})
    product_id: str = result["product"]["id"]
    # Another app's reserved metafield: written by that app, so straight into the store.
    product = emu.store.products[int(product_id.rsplit("/", 1)[1])]
    now = emu.store.now()
    product.metafields.append(
        Metafield(
            emu.store.next_id(), "app--999--seo", "t", "single_line_text_field", "x", now, now
        )
    )
    return product_id


async def _set(gql: Call, items: list[dict[str, Any]]) -> dict[str, Any]:
    status, body = await gql(SET, {"m": items})
    assert status == 200 and "errors" not in body, body
    payload: dict[str, Any] = body["data"]["metafieldsSet"]
    return payload


async def _metafields(gql: Call, product_id: str) -> dict[str, tuple[str, str]]:
    _, body = await gql(READ, {"id": product_id})
    nodes = body["data"]["product"]["metafields"]["nodes"]
    return {f"{m['namespace']}.{m['key']}": (m["type"], m["value"]) for m in nodes}


def _mf(owner: str, key: str, value: str, **extra: Any) -> dict[str, Any]:
    return {
        "ownerId": owner,
        "namespace": "sigma",
        "key": key,
        "type": "single_line_text_field",
        "value": value,
        **extra,
    }


async def test_set_adds_and_updates_without_touching_other_metafields(
    emu: Emulator, gql: Call
) -> None:
    product_id = await _product(emu, gql)
    before = await _metafields(gql, product_id)
    result = await _set(gql, [_mf(product_id, "colour", "red"), _mf(product_id, "size", "L")])
    assert result["userErrors"] == []
    assert [m["value"] for m in result["metafields"]] == ["red", "L"]
    result = await _set(gql, [_mf(product_id, "colour", "blue")])
    after = await _metafields(gql, product_id)
    assert after == {
        **before,
        "sigma.colour": ("single_line_text_field", "blue"),
        "sigma.size": ("single_line_text_field", "L"),
    }


async def test_set_is_atomic_and_names_the_failing_field(emu: Emulator, gql: Call) -> None:
    product_id = await _product(emu, gql)
    before = await _metafields(gql, product_id)
    bad = _mf(product_id, "count", "many", type="number_integer")
    result = await _set(gql, [_mf(product_id, "colour", "red"), bad])
    assert result["metafields"] is None
    assert result["userErrors"][0]["field"] == ["metafields", "1", "value"]
    assert result["userErrors"][0]["code"] == "INVALID_VALUE"
    assert await _metafields(gql, product_id) == before  # the valid first item was not written
    missing_type = {**_mf(product_id, "colour", "red"), "type": None}
    codes = [e["code"] for e in (await _set(gql, [missing_type]))["userErrors"]]
    assert codes == ["BLANK"]


async def test_set_accepts_25_and_refuses_26(emu: Emulator, gql: Call) -> None:
    product_id = await _product(emu, gql)
    ok = await _set(gql, [_mf(product_id, f"k{n}", str(n)) for n in range(25)])
    assert ok["userErrors"] == [] and len(ok["metafields"]) == 25
    refused = await _set(gql, [_mf(product_id, f"j{n}", str(n)) for n in range(26)])
    assert refused["userErrors"][0]["code"] == "LESS_THAN_OR_EQUAL_TO"
    assert "sigma.j0" not in await _metafields(gql, product_id)


async def test_app_namespace_resolves_and_foreign_app_namespace_is_refused(
    emu: Emulator, gql: Call
) -> None:
    product_id = await _product(emu, gql)
    own = await _set(
        gql,
        [
            {**_mf(product_id, "a", "1"), "namespace": "$app"},
            {**_mf(product_id, "b", "2"), "namespace": "$app:sync"},
            {**_mf(product_id, "c", "3"), "namespace": None},
        ],
    )
    assert [m["namespace"] for m in own["metafields"]] == [OWN, f"{OWN}--sync", OWN]
    foreign = await _set(gql, [{**_mf(product_id, "t", "y"), "namespace": "app--999--seo"}])
    assert foreign["userErrors"][0]["code"] == "APP_NOT_AUTHORIZED"
    assert foreign["userErrors"][0]["field"] == ["metafields", "0", "namespace"]
    assert (await _metafields(gql, product_id))["app--999--seo.t"][1] == "x"
    # Reading with `$app` finds the resolved namespace.
    _, body = await gql(
        'query($id: ID!) { product(id: $id) { metafield(namespace: "$app:sync", key: "b") '
        "{ value } } }",
        {"id": product_id},
    )
    assert body["data"]["product"]["metafield"] == {"value": "2"}


async def test_compare_digest(emu: Emulator, gql: Call) -> None:
    product_id = await _product(emu, gql)
    first = await _set(gql, [_mf(product_id, "colour", "red", compareDigest=None)])
    digest = first["metafields"][0]["compareDigest"]
    again = await _set(gql, [_mf(product_id, "colour", "x", compareDigest=None)])
    assert again["userErrors"][0]["code"] == "STALE_OBJECT"  # null: must not exist yet
    ok = await _set(gql, [_mf(product_id, "colour", "blue", compareDigest=digest)])
    assert ok["userErrors"] == []
    stale = await _set(gql, [_mf(product_id, "colour", "green", compareDigest=digest)])
    assert stale["userErrors"][0]["code"] == "STALE_OBJECT"
    garbage = await _set(gql, [_mf(product_id, "colour", "green", compareDigest="nope")])
    assert garbage["userErrors"][0]["code"] == "INVALID_COMPARE_DIGEST"


async def test_set_on_variant_and_unknown_owner(emu: Emulator, gql: Call) -> None:
    product_id = await _product(emu, gql)
    _, body = await gql(READ, {"id": product_id})
    variant_id = body["data"]["product"]["variants"]["nodes"][0]["id"]
    result = await _set(gql, [_mf(variant_id, "colour", "red")])
    assert result["userErrors"] == []
    _, body = await gql(READ, {"id": product_id})
    variant = body["data"]["product"]["variants"]["nodes"][0]
    assert variant["metafields"]["nodes"] == [
        {"namespace": "sigma", "key": "colour", "value": "red"}
    ]
    unknown = await _set(gql, [_mf("gid://shopify/Product/1", "colour", "red")])
    assert unknown["userErrors"][0]["field"] == ["metafields", "0", "ownerId"]


async def test_delete_removes_only_the_named_metafield(emu: Emulator, gql: Call) -> None:
    product_id = await _product(emu, gql)
    await _set(gql, [_mf(product_id, "colour", "red")])
    _status, body = await gql(
        DELETE,
        {
            "m": [
                {"ownerId": product_id, "namespace": "sigma", "key": "colour"},
                {"ownerId": product_id, "namespace": "sigma", "key": "absent"},
            ]
        },
    )
    payload = body["data"]["metafieldsDelete"]
    assert payload["userErrors"] == []
    assert payload["deletedMetafields"] == [
        {"ownerId": product_id, "namespace": "sigma", "key": "colour"},
        None,
    ]
    remaining = await _metafields(gql, product_id)
    assert set(remaining) == {"custom.care", "reviews.rating", "app--999--seo.t"}
    _, body = await gql(
        DELETE, {"m": [{"ownerId": product_id, "namespace": "app--999--seo", "key": "t"}]}
    )
    assert body["data"]["metafieldsDelete"]["userErrors"][0]["field"] == [
        "metafields",
        "0",
        "namespace",
    ]
    assert "app--999--seo.t" in await _metafields(gql, product_id)


async def test_set_respects_unique_definitions(emu: Emulator, gql: Call) -> None:
    _status, body = await gql(
        """mutation { metafieldDefinitionCreate(definition: {name: "Id", namespace: "sigma",
        key: "entity_id", type: "single_line_text_field", ownerType: PRODUCT,
        capabilities: {uniqueValues: {enabled: true}}}) { userErrors { code } } }"""
    )
    assert body["data"]["metafieldDefinitionCreate"]["userErrors"] == []
    first = await _product(emu, gql)
    second = await _product(emu, gql)
    assert (await _set(gql, [_mf(first, "entity_id", "E1")]))["userErrors"] == []
    taken = await _set(gql, [_mf(second, "entity_id", "E1")])
    assert taken["userErrors"][0]["code"] == "CAPABILITY_VIOLATION"
