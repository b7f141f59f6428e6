"""A sync run's write guard stops every mutation before it is sent, and no query."""

import pytest

from db.leases import LeaseLost
from tests.helpers.scripted_shopify import (
    SHOP_ANSWER,
    FakeClock,
    ScriptedShopify,
    make_client,
    reply,
    throttled,
)

DELETED = {
    "data": {"productDelete": {"deletedProductId": "gid://shopify/Product/1", "userErrors": []}}
}


def _lost() -> None:
    raise LeaseLost("sync run L lost its lease")


async def test_a_raising_guard_stops_mutations_but_not_queries(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [reply(SHOP_ANSWER)]
    async with make_client(shopify.base_url, clock) as client:
        client.write_guard = _lost
        with pytest.raises(LeaseLost):
            await client.delete_product("gid://shopify/Product/1")
        assert shopify.received == []
        await client.shop()
    assert shopify.operations() == ["SigmaShop"]


async def test_the_guard_is_asked_again_before_a_retry(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    """A throttled mutation waits; the lease may run out meanwhile."""
    shopify.script = [reply(throttled(requested=10, available=0, rate=100.0)), reply(DELETED)]
    calls: list[int] = []

    def guard() -> None:
        calls.append(1)
        if len(calls) > 1:
            _lost()

    async with make_client(shopify.base_url, clock) as client:
        client.write_guard = guard
        with pytest.raises(LeaseLost):
            await client.delete_product("gid://shopify/Product/1")
    assert len(shopify.received) == 1 and len(calls) == 2
