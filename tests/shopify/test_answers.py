"""How one Shopify answer is interpreted (pure functions; the HTTP side is in test_transport)."""

import json

import aiohttp
import pytest

from sync.shopify import answers
from sync.shopify.answers import Retry
from sync.shopify.errors import (
    GraphQLErrorEntry,
    MaxCostExceeded,
    ShopifyAuthError,
    ShopifyForbidden,
    ShopifyGraphQLError,
    ShopifyHTTPError,
)

TOKEN = "shpat_secret"
SHOP = "s.myshopify.com"


def status(code: int, body: object = "", retry_after: float | None = None) -> Retry:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return answers.http_status(code, retry_after, raw, SHOP, TOKEN)


def test_429_is_throttling_that_never_ran_and_keeps_retry_after() -> None:
    assert status(429, retry_after=2.0) == Retry(
        "throttled", "HTTP 429", nothing_ran=True, server_wait=2.0, throttled=True
    )


def test_5xx_may_have_run() -> None:
    retry = status(503, retry_after=1.5)
    assert retry.reason == "server_error" and retry.server_wait == 1.5
    assert not retry.nothing_ran


def test_statuses_that_stop_the_run_come_before_the_body() -> None:
    with pytest.raises(ShopifyAuthError):
        status(401, b"<html>not json</html>")
    with pytest.raises(ShopifyForbidden, match=r"scope \[redacted\]"):
        status(403, {"errors": f"needs scope {TOKEN}"})
    with pytest.raises(ShopifyHTTPError) as caught:
        status(400, {"errors": [{"message": "bad"}]})
    assert caught.value.status == 400 and "bad" in str(caught.value)


def test_throttled_with_a_known_bucket_lets_the_limiter_wait() -> None:
    entries = [GraphQLErrorEntry("Throttled", "THROTTLED")]
    assert answers.graphql_errors(entries, 4.0).limiter_waits
    without_status = answers.graphql_errors(entries, None)
    assert without_status.throttled and not without_status.limiter_waits
    assert without_status.nothing_ran


def test_graphql_error_codes() -> None:
    with pytest.raises(MaxCostExceeded):
        answers.graphql_errors([GraphQLErrorEntry("too costly", "MAX_COST_EXCEEDED")], None)
    with pytest.raises(ShopifyForbidden):
        answers.graphql_errors([GraphQLErrorEntry("no", "ACCESS_DENIED")], None)
    retry = answers.graphql_errors([GraphQLErrorEntry("oops", "INTERNAL_SERVER_ERROR")], None)
    assert retry.reason == "server_error" and not retry.nothing_ran
    with pytest.raises(ShopifyGraphQLError):
        answers.graphql_errors([GraphQLErrorEntry("Field 'x' doesn't exist", None)], None)


def test_error_entries_accept_shopifys_string_form_and_redact() -> None:
    assert answers.error_entries(f"bad token {TOKEN}", TOKEN) == [
        GraphQLErrorEntry("bad token [redacted]", None)
    ]
    assert answers.error_entries([{"message": "m", "extensions": {"code": "C"}}], TOKEN) == [
        GraphQLErrorEntry("m", "C")
    ]


def test_connection_failures() -> None:
    refused = aiohttp.ClientConnectorError(
        aiohttp.client_reqrep.ConnectionKey("h", 1, False, True, None, None, None),
        OSError(111, "refused"),
    )
    assert answers.connection_failure(refused, TOKEN).nothing_ran
    assert answers.connection_failure(refused, TOKEN).reason == "unreachable"
    timeout = answers.connection_failure(TimeoutError(), TOKEN)
    assert timeout.reason == "timeout" and not timeout.nothing_ran
    dropped = answers.connection_failure(aiohttp.ServerDisconnectedError(), TOKEN)
    assert dropped.reason == "dropped" and not dropped.nothing_ran
