"""Fault injection: 5xx rate, 429 with Retry-After, dropped connections, lost replies."""

import aiohttp
import pytest

from emulator.cli import parse_args
from emulator.runner import Emulator
from tests.helpers.emulator_calls import TOKEN, Call, product_set

SHOP = "{ shop { name } }"


async def test_error_rate_gives_5xx(emu: Emulator, gql: Call) -> None:
    emu.faults.configure(error_rate=1.0)
    statuses = {(await gql(SHOP))[0] for _ in range(12)}
    assert statuses <= {500, 502, 503} and len(statuses) >= 2
    emu.faults.configure(error_rate=0.3)
    outcomes = [(await gql(SHOP))[0] for _ in range(40)]
    assert 0 < sum(s != 200 for s in outcomes) < 40


async def test_429_with_retry_after(emu: Emulator, session: aiohttp.ClientSession) -> None:
    emu.faults.configure(throttle_rate=1.0, retry_after=2.0)
    headers = {"X-Shopify-Access-Token": TOKEN}
    async with session.post(emu.graphql_url(), json={"query": SHOP}, headers=headers) as response:
        assert response.status == 429
        assert response.headers["Retry-After"] == "2.0"


async def test_dropped_connection(emu: Emulator, gql: Call) -> None:
    emu.faults.configure(drop_rate=1.0)
    with pytest.raises(aiohttp.ClientError):
        await gql(SHOP)
    emu.faults.reset()
    assert (await gql(SHOP))[0] == 200
    assert emu.stats.dropped == 1


async def test_targeted_status_and_lost_reply_after_commit(emu: Emulator, gql: Call) -> None:
    emu.faults.fail_next("productSet", status=503, times=1)
    assert (await gql('mutation { productSet(input: {title: "A"}) { product { id } } }'))[0] == 503
    assert emu.store.products == {}
    emu.faults.drop_after_commit("productSet")
    with pytest.raises(aiohttp.ClientError):
        await gql('mutation { productSet(input: {title: "Committed"}) { product { id } } }')
    assert [p.title for p in emu.store.products.values()] == ["Committed"]  # Shopify applied it
    assert (await gql(SHOP))[0] == 200  # other operations unaffected
    result = await product_set(gql, {"title": "Next"})
    assert result["userErrors"] == []
    assert emu.stats.requests["productSet"] == 3


def test_cli_arguments() -> None:
    args = parse_args(
        ["--port", "0", "--shop", "x.myshopify.com", "--products", "3", "--fault-rate", "0.1"]
    )
    assert (args.port, args.shop, args.products, args.fault_rate, args.bucket) == (
        0,
        "x.myshopify.com",
        3,
        0.1,
        2000.0,
    )
