"""The identity definition: created, or an existing one checked; unusable ones are one run error."""

from typing import Any

import pytest

from sync.shopify.errors import ShopifyRunError
from sync.shopify.identity_definition import IdentityDefinitionError
from tests.helpers.scripted_shopify import FakeClock, ScriptedShopify, make_client, reply

TAKEN = {
    "data": {
        "metafieldDefinitionCreate": {
            "createdDefinition": None,
            "userErrors": [{"field": ["definition", "key"], "message": "in use", "code": "TAKEN"}],
        }
    }
}


def existing(type_name: str, unique: bool) -> Any:
    node = {
        "id": "gid://shopify/MetafieldDefinition/9",
        "namespace": "sigma",
        "key": "entity_id",
        "type": {"name": type_name},
        "capabilities": {"uniqueValues": {"enabled": unique}},
    }
    return reply({"data": {"metafieldDefinitions": {"nodes": [node]}}})


async def test_taken_and_usable_is_checked_and_accepted(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [reply(TAKEN), existing("single_line_text_field", True)]
    async with make_client(shopify.base_url, clock) as client:
        assert await client.ensure_identity_definition() is False
    assert shopify.operations() == [
        "SigmaMetafieldDefinitionCreate",
        "SigmaProductMetafieldDefinition",
    ]
    assert shopify.received[1].variables == {"namespace": "sigma", "key": "entity_id"}


@pytest.mark.parametrize(
    ("type_name", "unique", "said"),
    [
        ("single_line_text_field", False, "without unique values"),
        ("multi_line_text_field", True, "of type multi_line_text_field"),
        # unique, but our single_line_text_field values would not fit its type
        ("id", True, "of type id"),
    ],
)
async def test_taken_by_an_unusable_definition_is_one_run_error(
    shopify: ScriptedShopify, clock: FakeClock, type_name: str, unique: bool, said: str
) -> None:
    shopify.script = [reply(TAKEN), existing(type_name, unique)]
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(IdentityDefinitionError) as raised:
            await client.ensure_identity_definition()
    message = str(raised.value)
    assert said in message and "sigma.entity_id" in message
    assert "delete the definition" in message  # says how to fix it
    assert isinstance(raised.value, ShopifyRunError)  # the runner stops the run with it


async def test_unstructured_values_are_one_run_error(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [
        reply(
            {
                "data": {
                    "metafieldDefinitionCreate": {
                        "createdDefinition": None,
                        "userErrors": [
                            {
                                "field": ["definition"],
                                "message": "already in use for a set of your metafields",
                                "code": "UNSTRUCTURED_ALREADY_EXISTS",
                            }
                        ],
                    }
                }
            }
        )
    ]
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(IdentityDefinitionError, match=r"remove those sigma\.entity_id"):
            await client.ensure_identity_definition()
    assert len(shopify.received) == 1
