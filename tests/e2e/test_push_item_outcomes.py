"""One item's failure stays that item's, and a handle change keeps the old URL working."""

from typing import Any

import pytest

import emulator.cost
from tests.helpers.stack import stack


async def test_a_top_level_error_of_one_item_fails_only_that_item(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A product so large that its productSet alone is over Shopify's single-query cost limit:
    # Shopify answers the request with a top-level MAX_COST_EXCEEDED error, no data at all.
    priced = emulator.cost.product_set_cost

    def cost(input_value: dict[str, Any]) -> int:
        return 5000 if input_value.get("title") == "Huge" else priced(input_value)

    monkeypatch.setattr(emulator.cost, "product_set_cost", cost)
    async with stack(database_url) as s:
        huge = await s.create_entity(name="Huge", sku="H-1", price="1.00")
        for i in range(3):
            await s.create_entity(name=f"Small {i}", sku=f"S-{i}", price="1.00")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"], log["failed"]) == ("PARTIAL", 3, 1), log
        [error] = log["errors"]
        assert error["entityId"] == huge and "MAX_COST_EXCEEDED" in error["message"]
        assert sorted(p.title for p in s.emulator.store.products.values()) == [
            "Small 0",
            "Small 1",
            "Small 2",
        ]
        # the item is tried again by the next run, the others are not
        again = (await s.run("push"))["syncLog"]
        assert (again["pushed"], again["skipped"], again["failed"]) == (0, 3, 1), again


async def test_a_changed_handle_redirects_the_old_url(database_url: str) -> None:
    async with stack(database_url) as s:
        await s.set_channel(
            fieldMappings=[
                {"attribute": "name", "field": "title"},
                {"attribute": "productType", "field": "handle"},
            ]
        )
        entity = await s.create_entity(name="Mug", productType="blue-mug")
        assert (await s.run("push"))["syncLog"]["status"] == "SUCCESS"
        await s.update_entity(entity, productType="azure-mug")
        log = (await s.run("push"))["syncLog"]
        assert (log["status"], log["pushed"]) == ("SUCCESS", 1), log
        [product] = s.emulator.store.products.values()
        assert product.handle == "azure-mug"
        assert [(r.path, r.target) for r in s.emulator.store.redirects] == [
            ("/products/blue-mug", "/products/azure-mug")
        ]
