"""Retries, throttling and HTTP statuses, against a real local HTTP server."""

import pytest

from sync.shopify import (
    ShopifyAuthError,
    ShopifyForbidden,
    ShopifyGraphQLError,
    ShopifyHTTPError,
    ShopifyLocked,
    ShopifyNotFound,
    ShopifyPaymentRequired,
    ShopifyRunError,
    ShopifyUnavailable,
)
from tests.helpers.scripted_shopify import (
    SHOP,
    SHOP_ANSWER,
    TOKEN,
    FakeClock,
    ScriptedShopify,
    drop,
    hang,
    make_client,
    reply,
    throttled,
)


async def test_shop_sends_token_to_versioned_endpoint(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [reply(SHOP_ANSWER)]
    async with make_client(shopify.base_url, clock, api_version="2025-01") as client:
        info = await client.shop()
    assert info.name == "Sigma Test"
    assert info.plan_name == "Basic"
    assert info.primary_domain_url == "https://sigma.example"
    assert info.currency_code == "EUR"
    assert shopify.received[0].headers["X-Shopify-Access-Token"] == TOKEN
    assert shopify.operations() == ["SigmaShop"]
    assert client.stats.requests == 1
    assert client.stats.actual_cost == 1.0


async def test_throttled_waits_computed_time_then_succeeds(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.script = [reply(throttled(requested=50, available=10, rate=100.0)), reply(SHOP_ANSWER)]
    async with make_client(shopify.base_url, clock) as client:
        info = await client.shop()
    assert info.myshopify_domain == SHOP
    assert client.stats.throttled == 1
    assert client.stats.retries == 1
    # (50 - 10) / 100 = 0.4 s, waited by the limiter before resending
    assert clock.sleeps == [pytest.approx(0.4)]
    assert client.stats.limiter_wait == pytest.approx(0.4)


async def test_429_honours_retry_after(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.script = [
        reply(
            {"errors": "Exceeded 2 calls per second"}, status=429, headers={"Retry-After": "2.5"}
        ),
        reply(SHOP_ANSWER),
    ]
    async with make_client(shopify.base_url, clock) as client:
        await client.shop()
    assert clock.sleeps == [2.5]
    assert client.stats.throttled == 1


async def test_5xx_retried_with_growing_backoff(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.script = [
        reply("oops", 503),
        reply("oops", 502),
        reply("oops", 500),
        reply(SHOP_ANSWER),
    ]
    async with make_client(shopify.base_url, clock) as client:
        await client.shop()
    assert len(shopify.received) == 4
    assert client.stats.retries == 3
    # jitter fixed at 0.5: 0.75 x (0.1, 0.2, 0.4)
    assert clock.sleeps == [pytest.approx(0.075), pytest.approx(0.15), pytest.approx(0.3)]


async def test_dropped_connection_retried(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.script = [drop(), reply(SHOP_ANSWER)]
    async with make_client(shopify.base_url, clock) as client:
        info = await client.shop()
    assert info.name == "Sigma Test"
    assert client.stats.retries == 1


async def test_timeout_retried_then_exhausted(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.script = [hang(), hang()]
    async with make_client(shopify.base_url, clock, timeout=0.2, max_retries=1) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.shop()
    assert caught.value.reason == "timeout"
    assert caught.value.attempts == 2


async def test_retries_bounded_in_count(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.fallback = reply("down", 503)
    async with make_client(shopify.base_url, clock, max_retries=3) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.shop()
    assert len(shopify.received) == 4
    assert caught.value.reason == "server_error"
    assert "server error" in str(caught.value)


async def test_retries_bounded_in_time(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.fallback = reply({"errors": "slow down"}, 429, headers={"Retry-After": "10"})
    async with make_client(shopify.base_url, clock, max_retries=50, max_retry_time=25) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.shop()
    assert caught.value.reason == "throttled"
    assert len(shopify.received) == 3  # waits 10 + 10; a third wait would pass 25 s


async def test_unreachable_host_reported_as_such(clock: FakeClock) -> None:
    # A port nothing listens on: connection refused.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    async with make_client(f"http://127.0.0.1:{port}", clock, max_retries=1) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.shop()
    assert caught.value.reason == "unreachable"
    assert TOKEN not in str(caught.value)


@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (
            401,
            {
                "errors": "[API] Invalid API key or access token "
                "(unrecognized login or wrong password)"
            },
            ShopifyAuthError,
        ),
        (402, {"errors": "Unavailable Shop"}, ShopifyPaymentRequired),
        (
            403,
            {"errors": f"token {TOKEN} requires merchant approval for read_products scope."},
            ShopifyForbidden,
        ),
        (404, {"errors": "Not Found"}, ShopifyNotFound),
        (423, {"errors": "Locked"}, ShopifyLocked),
    ],
)
async def test_run_stopping_statuses(
    shopify: ScriptedShopify, clock: FakeClock, status: int, body: object, error: type
) -> None:
    shopify.fallback = reply(body, status)
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(error) as caught:
            await client.shop()
    assert isinstance(caught.value, ShopifyRunError)
    assert len(shopify.received) == 1, "not retried"
    assert TOKEN not in str(caught.value)
    assert TOKEN not in repr(caught.value)
    assert f"HTTP {status}" in str(caught.value)


async def test_401_message(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.fallback = reply({"errors": "[API] Invalid API key"}, 401)
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(
            ShopifyAuthError, match=r"^Shopify rejected the access token \(HTTP 401\)$"
        ):
            await client.shop()


async def test_403_keeps_scope_detail(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.fallback = reply({"errors": "requires merchant approval for read_products scope."}, 403)
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyForbidden, match="read_products"):
            await client.shop()


async def test_other_4xx_not_retried(shopify: ScriptedShopify, clock: FakeClock) -> None:
    shopify.fallback = reply({"errors": "bad request"}, 400)
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyHTTPError) as caught:
            await client.shop()
    assert caught.value.status == 400
    assert len(shopify.received) == 1


async def test_graphql_errors_raise_with_message(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.fallback = reply(
        {
            "errors": [
                {"message": "Field 'x' doesn't exist", "extensions": {"code": "undefinedField"}}
            ]
        }
    )
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyGraphQLError, match="Field 'x' doesn't exist") as caught:
            await client.shop()
    assert caught.value.codes == ["undefinedField"]
    assert len(shopify.received) == 1


def test_config_repr_hides_token() -> None:
    from tests.helpers.scripted_shopify import make_config

    config = make_config("http://127.0.0.1:1")
    assert TOKEN not in repr(config)
    assert config.graphql_url == "http://127.0.0.1:1/admin/api/2026-10/graphql.json"
    from sync.shopify import ShopifyConfig

    assert (
        ShopifyConfig("a.myshopify.com", "t").graphql_url
        == "https://a.myshopify.com/admin/api/2026-10/graphql.json"
    )


async def test_a_bucket_others_drain_throttles_many_times_without_failing_the_request(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    # Another process of ours takes the points first each time: twelve THROTTLED answers,
    # each a hair short of the cost on a fast (Plus) bucket. Throttling is not a failure:
    # past max_retries (8) the request still gets through, waiting longer each time.
    drained = reply(throttled(requested=50, available=49.9, rate=1000.0))
    shopify.script = [drained] * 12 + [reply(SHOP_ANSWER)]
    async with make_client(shopify.base_url, clock, max_retries=8) as client:
        info = await client.shop()
    assert info.name == "Sigma Test"
    assert client.stats.throttled == 12
    # The bucket's own wait (0.1 ms) each time, and from the second throttle on at least the
    # backoff (jitter 0.5: 0.75 x 0.1 x 2^n s, capped at 0.75 x 1 s): 11 floors.
    floors = [0.75 * min(1.0, 0.1 * 2**n) for n in range(11)]
    assert sum(clock.sleeps) == pytest.approx(sum(floors) + 0.0001, abs=0.002)
    assert len(shopify.received) == 13


async def test_endless_throttling_is_bounded_in_time(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    shopify.fallback = reply(throttled(requested=50, available=49.9, rate=1000.0))
    started = clock()
    async with make_client(shopify.base_url, clock, max_retries=2, max_retry_time=20) as client:
        with pytest.raises(ShopifyUnavailable) as caught:
            await client.shop()
    assert caught.value.reason == "throttled"
    assert caught.value.attempts == len(shopify.received) > 3  # not the count of failures
    assert clock() - started <= 20
