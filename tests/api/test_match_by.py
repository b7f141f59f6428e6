"""A channel's matchBy over GraphQL: default, change, and the checks that name the field."""

from tests.helpers.api_samples import make_schema
from tests.helpers.live import live_server

CREATE = """mutation($input: ChannelInput!) { channelCreate(input: $input) {
  channel { id matchBy } userErrors { field message code } } }"""
UPDATE = """mutation($id: ID!, $input: ChannelInput!) { channelUpdate(id: $id, input: $input) {
  channel { matchBy } userErrors { field message code } } }"""
BASE = {"name": "S", "shopDomain": "s.myshopify.com", "accessToken": "t"}


async def test_match_by_defaults_to_sku_and_can_change(database_url: str) -> None:
    async with live_server(database_url) as api:
        created = (await api.gql(CREATE, {"input": BASE}))["data"]["channelCreate"]
        assert created["userErrors"] == [] and created["channel"]["matchBy"] == "SKU"
        channel_id = created["channel"]["id"]
        # Mappings without variant.barcode or variants: BARCODE cannot read a key.
        refused = await api.gql(
            UPDATE,
            {
                "id": channel_id,
                "input": {
                    "matchBy": "BARCODE",
                    "fieldMappings": [{"attribute": "name", "field": "title"}],
                },
            },
        )
        errors = refused["data"]["channelUpdate"]["userErrors"]
        assert [(e["field"], e["code"]) for e in errors] == [(["matchBy"], "INVALID")]
        assert "variant.barcode" in errors[0]["message"]
        schema_id = await make_schema(api.gql)
        changed = await api.gql(
            UPDATE,
            {
                "id": channel_id,
                "input": {
                    "schemaId": schema_id,
                    "matchBy": "HANDLE",
                    "fieldMappings": [
                        {"attribute": "name", "field": "title"},
                        {"attribute": "sku", "field": "handle"},
                    ],
                },
            },
        )
        assert changed["data"]["channelUpdate"] == {
            "channel": {"matchBy": "HANDLE"},
            "userErrors": [],
        }
        # Kept when not given.
        renamed = await api.gql(UPDATE, {"id": channel_id, "input": {"name": "T"}})
        assert renamed["data"]["channelUpdate"]["channel"]["matchBy"] == "HANDLE"
        null = await api.gql(UPDATE, {"id": channel_id, "input": {"matchBy": None}})
        assert null["data"]["channelUpdate"]["userErrors"][0]["field"] == ["matchBy"]
        unknown = await api.gql(UPDATE, {"id": channel_id, "input": {"matchBy": "EAN"}})
        assert unknown["data"] is None and unknown["errors"]


async def test_an_unusable_match_by_writes_nothing(database_url: str) -> None:
    async with live_server(database_url) as api:
        body = await api.gql(CREATE, {"input": {**BASE, "matchBy": "HANDLE"}})
        payload = body["data"]["channelCreate"]
        assert payload["channel"] is None
        assert payload["userErrors"][0]["field"] == ["matchBy"]
        assert (await api.gql("{ channels { id } }"))["data"]["channels"] == []
