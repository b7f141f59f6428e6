"""Fixtures: a scripted Shopify on a free loopback port and a fake clock."""

from collections.abc import AsyncIterator

import pytest

from tests.helpers.scripted_shopify import FakeClock, ScriptedShopify, scripted_shopify


@pytest.fixture
async def shopify() -> AsyncIterator[ScriptedShopify]:
    async with scripted_shopify() as scripted:
        yield scripted


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
