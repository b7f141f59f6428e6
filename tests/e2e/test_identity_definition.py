"""A store whose `sigma.entity_id` cannot key creates: the push stops with one clear error."""

from typing import Any

from tests.helpers.stack import Stack, stack

CREATE = """mutation($input: ProductSetInput!) { productSet(input: $input, synchronous: true) {
  product { id } userErrors { field message code } } }"""
SET = """mutation($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) {
  metafields { id } userErrors { field message code } } }"""
DEFINE = """mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) {
  createdDefinition { id } userErrors { field message code } } }"""


async def _push_new_entity(s: Stack) -> dict[str, Any]:
    await s.create_entity(name="New", sku="NEW-1", price="5.00")
    before = len(s.emulator.store.products)
    log: dict[str, Any] = (await s.run("push"))["syncLog"]
    assert len(s.emulator.store.products) == before  # nothing created
    return log


async def test_values_without_a_definition_stop_the_run_with_how_to_fix(database_url: str) -> None:
    async with stack(database_url) as s:
        created = await s.shopify(CREATE, {"input": {"title": "Old import"}})
        product_id = created["data"]["productSet"]["product"]["id"]
        metafield = {
            "ownerId": product_id,
            "namespace": "sigma",
            "key": "entity_id",
            "type": "single_line_text_field",
            "value": "left-by-another-tool",
        }
        assert (await s.shopify(SET, {"m": [metafield]}))["data"]["metafieldsSet"][
            "userErrors"
        ] == []
        log = await _push_new_entity(s)
        assert (log["status"], log["pushed"]) == ("FAILED", 0), log
        assert len(log["errors"]) == 1
        message = log["errors"][0]["message"]
        assert "sigma.entity_id" in message and "without a metafield definition" in message
        assert "remove those" in message and "run again" in message


async def test_a_definition_without_unique_values_stops_the_run(database_url: str) -> None:
    async with stack(database_url) as s:
        definition = {
            "name": "Entity",
            "namespace": "sigma",
            "key": "entity_id",
            "type": "single_line_text_field",
            "ownerType": "PRODUCT",
        }
        body = await s.shopify(DEFINE, {"d": definition})
        assert body["data"]["metafieldDefinitionCreate"]["userErrors"] == []
        log = await _push_new_entity(s)
        assert (log["status"], len(log["errors"])) == ("FAILED", 1), log
        message = log["errors"][0]["message"]
        assert "without unique values" in message and "delete the definition" in message


async def test_a_usable_existing_definition_is_accepted(database_url: str) -> None:
    async with stack(database_url) as s:
        definition = {
            "name": "Entity",
            "namespace": "sigma",
            "key": "entity_id",
            "type": "single_line_text_field",
            "ownerType": "PRODUCT",
            "capabilities": {"uniqueValues": {"enabled": True}},
        }
        body = await s.shopify(DEFINE, {"d": definition})
        assert body["data"]["metafieldDefinitionCreate"]["userErrors"] == []
        await s.create_entity(name="New", sku="NEW-1", price="5.00")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 1), log
        assert s.emulator.stats.requests["metafieldDefinitions"] == 1
