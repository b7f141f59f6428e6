"""Interpreting: what one Shopify answer (or failure to get one) means for the request.

Each function returns the request's data, a Retry (how and whether to try again), or raises the
ShopifyError the caller should see. None of them sleeps or keeps state, so every rule about
Shopify's statuses and error codes is here, testable without a network.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp

from sync.shopify.errors import (
    GraphQLErrorEntry,
    MaxCostExceeded,
    ShopifyAuthError,
    ShopifyForbidden,
    ShopifyGraphQLError,
    ShopifyHTTPError,
    ShopifyLocked,
    ShopifyNotFound,
    ShopifyPaymentRequired,
    UnavailableReason,
    redact,
)

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
DETAIL_LIMIT = 300


@dataclass(frozen=True)
class Retry:
    """Try the request again, if the budget allows.

    `nothing_ran`: Shopify certainly did not execute it (throttled, connection refused), so even
    a request that must not run twice may be resent. `limiter_waits`: the cost limiter already
    knows how long the bucket needs (THROTTLED with a throttle status); the wait is charged to
    the retry budget but slept by the limiter before the next send, not here.
    """

    reason: UnavailableReason
    detail: str
    nothing_ran: bool = False
    server_wait: float | None = None
    throttled: bool = False
    limiter_waits: bool = False


def safe_text(text: str, token: str) -> str:
    """Server-provided text made fit for a log: the token removed, the length capped."""
    return redact(text, token)[:DETAIL_LIMIT]


def error_entries(errors: Any, token: str) -> list[GraphQLErrorEntry]:
    """Shopify's `errors`: a GraphQL list of `{message, extensions: {code}}`, or a bare string."""
    if isinstance(errors, str):
        return [GraphQLErrorEntry(safe_text(errors, token), None)]
    entries = []
    for error in errors if isinstance(errors, list) else [errors]:
        if isinstance(error, Mapping):
            ext = error.get("extensions")
            code = ext.get("code") if isinstance(ext, Mapping) else None
            message = safe_text(str(error.get("message", "")), token)
            entries.append(GraphQLErrorEntry(message, str(code) if code else None))
        else:
            entries.append(GraphQLErrorEntry(safe_text(str(error), token), None))
    return entries


def graphql_errors(entries: list[GraphQLErrorEntry], throttle_wait: float | None) -> Retry:
    """An HTTP 200 whose `errors` is not empty: retry, or raise what the caller should see.

    `throttle_wait` is the cost limiter's wait for the requested cost, when the answer carried
    both a throttle status and a requested cost.
    """
    codes = {e.code for e in entries}
    if "THROTTLED" in codes:
        known = throttle_wait is not None and throttle_wait > 0
        return Retry(
            "throttled",
            "THROTTLED",
            nothing_ran=True,
            server_wait=throttle_wait,
            throttled=True,
            limiter_waits=known,
        )
    if "MAX_COST_EXCEEDED" in codes:
        raise MaxCostExceeded(entries)  # the same query can never fit: no retry
    if "ACCESS_DENIED" in codes:
        raise ShopifyForbidden("; ".join(e.message for e in entries))
    if "INTERNAL_SERVER_ERROR" in codes:
        return Retry("server_error", "; ".join(e.message for e in entries))
    raise ShopifyGraphQLError(entries)


def http_status(
    status: int, retry_after: float | None, body: bytes, shop_domain: str, token: str
) -> Retry:
    """A status other than 200: retry 429 and 5xx, raise for the rest (the status comes before
    any JSON, since Shopify's 401/402/404 bodies are not GraphQL answers)."""
    if status == 429:
        return Retry(
            "throttled", "HTTP 429", nothing_ran=True, server_wait=retry_after, throttled=True
        )
    if status in RETRYABLE_STATUSES:
        return Retry("server_error", f"HTTP {status}", server_wait=retry_after)
    if status == 401:
        raise ShopifyAuthError()
    if status == 402:
        raise ShopifyPaymentRequired()
    if status == 404:
        raise ShopifyNotFound(shop_domain)
    if status == 423:
        raise ShopifyLocked()
    detail = _body_detail(body, token)
    if status == 403:
        raise ShopifyForbidden(detail)
    raise ShopifyHTTPError(status, detail)


def connection_failure(exc: BaseException, token: str) -> Retry:
    """No answer: a refused connection never reached Shopify; a timeout or a dropped
    connection may have run the request."""
    if isinstance(exc, aiohttp.ClientConnectorError):  # before ClientOSError, its base
        return Retry("unreachable", safe_text(str(exc), token), nothing_ran=True)
    if isinstance(exc, TimeoutError):
        return Retry("timeout", safe_text(_describe(exc, "no answer in time"), token))
    return Retry("dropped", safe_text(_describe(exc, "connection dropped"), token))


CONNECTION_FAILURES = (
    TimeoutError,
    aiohttp.ClientConnectorError,
    aiohttp.ServerDisconnectedError,
    aiohttp.ClientOSError,
    aiohttp.ClientPayloadError,
)


def _body_detail(raw: bytes, token: str) -> str:
    try:
        answer = json.loads(raw)
    except ValueError:
        return ""
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if not errors:
        return ""
    return "; ".join(e.message for e in error_entries(errors, token))


def _describe(exc: BaseException, fallback: str) -> str:
    return str(exc) or type(exc).__name__ or fallback
