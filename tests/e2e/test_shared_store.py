"""Two channels on one store (each its own catalog): a pull of one never takes the products the
other pushed, whose identity metafield names an entity outside its catalogs."""

from dataclasses import replace

import pytest

from tests.helpers.stack import SHOP, SHOP_TOKEN, Stack, stack


async def _second_channel(s: Stack) -> Stack:
    catalog = await s.api.gql(
        'mutation { catalogCreate(input: {name: "Outlet"}) { catalog { id } } }'
    )
    catalog_id = catalog["data"]["catalogCreate"]["catalog"]["id"]
    created = await s.api.gql(
        "mutation($i: ChannelInput!) { channelCreate(input: $i) { channel { id } "
        "userErrors { field message } } }",
        {
            "i": {
                "name": "Outlet store",
                "shopDomain": SHOP,
                "accessToken": SHOP_TOKEN,
                "schemaId": s.schema_id,
                "catalogIds": [catalog_id],
            }
        },
    )
    assert created["data"]["channelCreate"]["userErrors"] == []
    channel_id = created["data"]["channelCreate"]["channel"]["id"]
    return replace(s, catalog_id=catalog_id, channel_id=channel_id)


@pytest.mark.parametrize("kind", ["pull", "sync"])
async def test_a_pull_leaves_another_channels_products_and_entities_alone(
    database_url: str, kind: str
) -> None:
    async with stack(database_url) as web:
        mug = await web.create_entity(name="Mug", sku="MUG-1", price="5.00")
        pushed = await web.run("push")
        assert (pushed["syncLog"]["status"], pushed["syncLog"]["pushed"]) == ("SUCCESS", 1)
        # An edit the web channel has not pushed yet: the outlet's pull must not undo it.
        await web.update_entity(mug, price="7.00")

        outlet = await _second_channel(web)
        outlet_item = await outlet.create_entity(name="Crate", sku="CRATE-1", price="9.00")
        ran = (await outlet.run(kind))["syncLog"]
        assert ran["status"] == "SUCCESS", ran
        assert ran["details"]["linking"]["otherChannels"] == 1, ran["details"]
        assert ran["pulled"] == 0

        assert (await web.entity(mug))["price"] == "7.00"
        assert sorted(e["id"] for e in await web.entities()) == sorted([mug, outlet_item])
        again = (await web.run("push"))["syncLog"]
        assert (again["status"], again["pushed"]) == ("SUCCESS", 1), again
        prices = {p.title: p.variants[0].price for p in web.emulator.store.products.values()}
        expected = {"Mug": "7.00", **({"Crate": "9.00"} if kind == "sync" else {})}
        assert prices == expected
