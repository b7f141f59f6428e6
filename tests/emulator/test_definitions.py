"""metafieldDefinitionCreate's rules and the metafieldDefinitions query."""

from typing import Any

from emulator.store import DEFAULT_API_CLIENT_ID
from tests.helpers.emulator_calls import Call, product_set

CREATE = """
mutation Create($d: MetafieldDefinitionInput!) {
  metafieldDefinitionCreate(definition: $d) {
    createdDefinition { id namespace key type { name } capabilities { uniqueValues { enabled } } }
    userErrors { field message code }
  }
}
"""
QUERY = """
query Definitions($ns: String, $key: String) {
  metafieldDefinitions(first: 5, ownerType: PRODUCT, namespace: $ns, key: $key) {
    nodes { namespace key type { name } capabilities { uniqueValues { enabled } } }
  }
}
"""


async def _create(
    gql: Call, key: str, type_name: str, unique: bool, namespace: str = "sigma"
) -> dict[str, Any]:
    definition = {
        "name": key,
        "namespace": namespace,
        "key": key,
        "type": type_name,
        "ownerType": "PRODUCT",
        "capabilities": {"uniqueValues": {"enabled": unique}},
    }
    status, body = await gql(CREATE, {"d": definition})
    assert status == 200 and "errors" not in body, body
    payload: dict[str, Any] = body["data"]["metafieldDefinitionCreate"]
    return payload


def _codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def test_unique_values_only_on_eligible_types(gql: Call) -> None:
    for type_name in ("single_line_text_field", "number_integer", "url", "id"):
        assert _codes(await _create(gql, f"k_{type_name}", type_name, True)) == []
    for type_name in ("json", "multi_line_text_field", "boolean"):
        assert _codes(await _create(gql, f"k_{type_name}", type_name, True)) == [
            "INVALID_CAPABILITY"
        ]


async def test_taken_when_the_definition_exists(gql: Call) -> None:
    assert _codes(await _create(gql, "entity_id", "single_line_text_field", True)) == []
    again = await _create(gql, "entity_id", "single_line_text_field", True)
    assert _codes(again) == ["TAKEN"] and again["createdDefinition"] is None


async def test_unique_refused_over_existing_values_plain_definition_adopts_them(
    gql: Call,
) -> None:
    metafield = {"namespace": "sigma", "key": "entity_id", "type": "json", "value": '"E1"'}
    await product_set(gql, {"title": "Old", "metafields": [metafield]})
    refused = await _create(gql, "entity_id", "single_line_text_field", True)
    assert _codes(refused) == ["UNSTRUCTURED_ALREADY_EXISTS"]
    assert refused["userErrors"][0]["field"] == ["definition", "key"]
    plain = await _create(gql, "entity_id", "single_line_text_field", False)
    assert _codes(plain) == []
    _, body = await gql(QUERY, {"ns": "sigma", "key": "entity_id"})
    assert body["data"]["metafieldDefinitions"]["nodes"] == [
        {
            "namespace": "sigma",
            "key": "entity_id",
            "type": {"name": "single_line_text_field"},
            "capabilities": {"uniqueValues": {"enabled": False}},
        }
    ]


async def test_query_filters_and_app_namespace(gql: Call) -> None:
    await _create(gql, "a", "single_line_text_field", True, namespace="$app")
    await _create(gql, "b", "number_integer", False, namespace="other")
    _, body = await gql(QUERY, {"ns": "$app", "key": None})
    nodes = body["data"]["metafieldDefinitions"]["nodes"]
    assert [(n["namespace"], n["key"]) for n in nodes] == [(f"app--{DEFAULT_API_CLIENT_ID}", "a")]
    _, body = await gql(QUERY, {"ns": None, "key": None})
    assert len(body["data"]["metafieldDefinitions"]["nodes"]) == 2
    _, body = await gql(QUERY, {"ns": "other", "key": "a"})
    assert body["data"]["metafieldDefinitions"]["nodes"] == []
