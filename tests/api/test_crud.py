"""The CRUD surface over real HTTP: schemas, catalogs, entities, channels and their validation."""

from tests.helpers.api_samples import CATALOG, CHANNEL, ENTITY, make_schema
from tests.helpers.live import live_server


async def test_create_schema_catalog_entity_and_read_them_back(database_url: str) -> None:
    async with live_server(database_url) as api:
        schema_id = await make_schema(api.gql)
        catalog = (await api.gql(CATALOG, {"name": "Summer"}))["data"]["catalogCreate"]["catalog"]
        created = await api.gql(
            ENTITY,
            {
                "input": {
                    "schemaId": schema_id,
                    "catalogIds": [catalog["id"]],
                    "attributes": {"name": "Mug", "price": "9.50", "tags": ["kitchen"]},
                }
            },
        )
        entity = created["data"]["entityCreate"]["entity"]
        assert entity["catalogIds"] == [catalog["id"]]
        assert entity["attributes"] == {"name": "Mug", "price": "9.50", "tags": ["kitchen"]}

        listed = await api.gql(
            "query($c: ID) { entities(catalogId: $c) { totalCount nodes { id schema { name } } "
            "pageInfo { hasNextPage endCursor } } schemas { name } catalogs { name } }",
            {"c": catalog["id"]},
        )
        data = listed["data"]
        assert data["entities"]["totalCount"] == 1
        assert data["entities"]["nodes"][0] == {"id": entity["id"], "schema": {"name": "Product"}}
        assert data["schemas"] == [{"name": "Product"}]
        assert data["catalogs"] == [{"name": "Summer"}]

        updated = await api.gql(
            'mutation($id: ID!) { entityUpdate(id: $id, input: {attributes: {name: "Big mug"}}) '
            "{ entity { attributes catalogIds } userErrors { message } } }",
            {"id": entity["id"]},
        )
        assert updated["data"]["entityUpdate"]["entity"] == {
            "attributes": {"name": "Big mug"},
            "catalogIds": [catalog["id"]],
        }
        deleted = await api.gql(
            "mutation($id: ID!) { entityDelete(id: $id) { deletedId userErrors { code } } }",
            {"id": entity["id"]},
        )
        assert deleted["data"]["entityDelete"]["deletedId"] == entity["id"]
        again = await api.gql("query($id: ID!) { entity(id: $id) { id } }", {"id": entity["id"]})
        assert again["data"]["entity"] is None


async def test_entity_validation_names_each_field_and_writes_nothing(database_url: str) -> None:
    async with live_server(database_url) as api:
        schema_id = await make_schema(api.gql)
        body = await api.gql(
            ENTITY,
            {
                "input": {
                    "schemaId": schema_id,
                    "catalogIds": ["nope"],
                    "attributes": {"price": "abc", "weight": "heavy", "colour": "red"},
                }
            },
        )
        payload = body["data"]["entityCreate"]
        assert payload["entity"] is None
        problems = {tuple(e["field"]): e["code"] for e in payload["userErrors"]}
        assert problems == {
            ("attributes", "price"): "INVALID",
            ("attributes", "weight"): "INVALID",
            ("attributes", "colour"): "UNKNOWN",
            ("attributes", "name"): "REQUIRED",
            ("catalogIds",): "NOT_FOUND",
        }
        count = await api.gql("{ entities { totalCount } }")
        assert count["data"]["entities"]["totalCount"] == 0


async def test_channel_domain_is_normalised_and_token_is_never_returned(database_url: str) -> None:
    async with live_server(database_url) as api:
        schema_id = await make_schema(api.gql)
        body = await api.gql(
            CHANNEL,
            {
                "input": {
                    "name": "Main store",
                    "shopDomain": "https://My-Store.myshopify.com/admin",
                    "accessToken": "shpat_supersecret_123",
                    "schemaId": schema_id,
                }
            },
        )
        payload = body["data"]["channelCreate"]
        assert payload["userErrors"] == []
        channel = payload["channel"]
        assert channel["shopDomain"] == "my-store.myshopify.com"
        assert channel["hasAccessToken"] is True
        assert channel["apiVersion"] == "2026-10"
        assert channel["fieldMappings"] == []
        assert {"attribute": "name", "field": "title"} in channel["effectiveFieldMappings"]
        listed = await api.client.post(
            "/graphql", json={"query": "{ channels { id name shopDomain hasAccessToken } }"}
        )
        assert "shpat_supersecret_123" not in listed.text
        assert "shpat_supersecret_123" not in body.__repr__()


async def test_channel_validation_errors_name_their_fields(database_url: str) -> None:
    async with live_server(database_url) as api:
        schema_id = await make_schema(api.gql)
        body = await api.gql(
            CHANNEL,
            {
                "input": {
                    "name": "Bad",
                    "shopDomain": "example.com",
                    "schemaId": schema_id,
                    "apiVersion": "2026-02",
                    "fieldMappings": [
                        {"attribute": "name", "field": "titel"},
                        {"attribute": "colour", "field": "vendor"},
                        {"attribute": "sku", "field": "variant.sku"},
                        {"attribute": "price", "field": "variant.sku"},
                        {"attribute": "weight", "field": "metafield.x.y"},
                    ],
                }
            },
        )
        payload = body["data"]["channelCreate"]
        assert payload["channel"] is None
        fields = {tuple(e["field"]) for e in payload["userErrors"]}
        assert ("shopDomain",) in fields
        assert ("apiVersion",) in fields
        assert ("fieldMappings", "0", "field") in fields
        assert ("fieldMappings", "1", "attribute") in fields
        assert any(f[:2] == ("fieldMappings", "3") for f in fields)
        assert any(f[:2] == ("fieldMappings", "4") for f in fields)
        channels = await api.gql("{ channels { id } }")
        assert channels["data"]["channels"] == []


async def test_channel_update_keeps_what_is_not_given(database_url: str) -> None:
    async with live_server(database_url) as api:
        created = await api.gql(
            CHANNEL, {"input": {"name": "S", "shopDomain": "s.myshopify.com", "accessToken": "t1"}}
        )
        channel_id = created["data"]["channelCreate"]["channel"]["id"]
        body = await api.gql(
            "mutation($id: ID!) { channelUpdate(id: $id, input: {conflictPolicy: MANUAL}) "
            "{ channel { name hasAccessToken conflictPolicy } userErrors { message } } }",
            {"id": channel_id},
        )
        assert body["data"]["channelUpdate"]["channel"] == {
            "name": "S",
            "hasAccessToken": True,
            "conflictPolicy": "MANUAL",
        }
        missing = await api.gql(
            'mutation { channelUpdate(id: "nope", input: {name: "x"}) '
            "{ channel { id } userErrors { field code } } }"
        )
        assert missing["data"]["channelUpdate"]["userErrors"] == [
            {"field": ["id"], "code": "NOT_FOUND"}
        ]
        deleted = await api.gql(
            "mutation($id: ID!) { channelDelete(id: $id) { deletedId } }", {"id": channel_id}
        )
        assert deleted["data"]["channelDelete"]["deletedId"] == channel_id


async def test_attributes_must_be_an_object(database_url: str) -> None:
    async with live_server(database_url) as api:
        schema_id = await make_schema(api.gql)
        body = await api.gql(ENTITY, {"input": {"schemaId": schema_id, "attributes": [1, 2]}})
        assert body["data"]["entityCreate"]["userErrors"] == [
            {"field": ["attributes"], "message": "attributes must be an object", "code": "INVALID"}
        ]
