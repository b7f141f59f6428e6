"""Sends GraphQL documents to one store over one aiohttp session, with cost limiting and retries.

Documents are gql-parsed DocumentNodes; the transport posts the printed document and its
variables itself rather than through gql's AIOHTTPTransport, because correct behaviour needs
what that transport hides: the HTTP status before any JSON parsing (401 bodies carry `errors`
as a string), the `Retry-After` header of a 429/503, and `extensions.cost` on every answer,
including THROTTLED ones that gql would turn into a bare TransportQueryError.
"""

import asyncio
import json
import random
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp
from graphql import DocumentNode, OperationDefinitionNode, print_ast

from sync.shopify.config import ShopifyConfig
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
    ShopifyUnavailable,
    UnavailableReason,
    redact,
)
from sync.shopify.limiter import Clock, CostLimiter, Sleep, ThrottleStatus
from sync.shopify.retry import RetryBudget
from sync.shopify.stats import ClientStats, note_served_version

RETRYABLE_STATUSES = frozenset({500, 502, 503, 504})
USER_AGENT = "sigma-channel-sync"
_DETAIL_LIMIT = 300


class GraphQLTransport:
    def __init__(
        self,
        config: ShopifyConfig,
        session: aiohttp.ClientSession,
        limiter: CostLimiter,
        stats: ClientStats,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._config = config
        self._session = session
        self._limiter = limiter
        self._stats = stats
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._printed: dict[int, tuple[DocumentNode, str]] = {}
        # requestedQueryCost last seen per (operation, integer variables): Shopify's own number
        # replaces our static estimate once a query shape has been sent once.
        self._learned_cost: dict[tuple[str, tuple[tuple[str, int], ...]], float] = {}

    @property
    def headers(self) -> dict[str, str]:
        headers = {
            "X-Shopify-Access-Token": self._config.access_token,
            "Content-Type": "application/json",
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        }
        if self._config.base_url:
            # Redirected traffic (a proxy, the emulator) still names the shop it is for.
            headers["Host"] = self._config.shop_domain
        return headers

    def _text(self, document: DocumentNode) -> str:
        cached = self._printed.get(id(document))
        if cached is None:
            cached = (document, print_ast(document))
            self._printed[id(document)] = cached
        return cached[1]

    def _cost_key(
        self, document: DocumentNode, variables: Mapping[str, Any]
    ) -> tuple[str, tuple[tuple[str, int], ...]]:
        name = ""
        for definition in document.definitions:
            if isinstance(definition, OperationDefinitionNode) and definition.name:
                name = definition.name.value
                break
        ints = tuple(
            sorted(
                (k, v)
                for k, v in variables.items()
                if isinstance(v, int) and not isinstance(v, bool)
            )
        )
        return name, ints

    async def execute(
        self,
        document: DocumentNode,
        variables: Mapping[str, Any],
        *,
        estimated_cost: float,
        learn_cost: bool = True,
        idempotent: bool = True,
    ) -> dict[str, Any]:
        """Run one document and return its `data`; raises a ShopifyError subclass otherwise.

        `idempotent=False` marks a request that must not run twice (e.g. a create without an
        upsert key): failures after which Shopify may already have committed it (timeout,
        dropped connection, 5xx) then raise at once instead of retrying. Throttling (THROTTLED,
        429) and refused connections are retried either way: nothing ran.
        """
        payload = {"query": self._text(document), "variables": dict(variables)}
        body_bytes = json.dumps(payload).encode()
        key = self._cost_key(document, variables)
        budget = RetryBudget(
            clock=self._clock,
            max_retries=self._config.max_retries,
            max_retry_time=self._config.max_retry_time,
            backoff_base=self._config.backoff_base,
            backoff_max=self._config.backoff_max,
            jitter=self._jitter,
        )
        while True:
            cost = self._learned_cost.get(key, estimated_cost) if learn_cost else estimated_cost
            reservation = await self._limiter.acquire(cost)
            self._stats.requests += 1
            try:
                status, retry_after, raw = await self._post(body_bytes)
            except TimeoutError as exc:
                self._limiter.settle(reservation, None, answered=False)
                await self._retry(
                    budget, "timeout", idempotent, self._safe(_describe(exc, "no answer in time"))
                )
                continue
            except aiohttp.ClientConnectorError as exc:
                self._limiter.settle(reservation, None, answered=False)
                await self._retry(budget, "unreachable", True, self._safe(str(exc)))
                continue
            except (
                aiohttp.ServerDisconnectedError,
                aiohttp.ClientOSError,
                aiohttp.ClientPayloadError,
            ) as exc:
                self._limiter.settle(reservation, None, answered=False)
                await self._retry(
                    budget, "dropped", idempotent, self._safe(_describe(exc, "connection dropped"))
                )
                continue

            if status == 200:
                try:
                    answer = json.loads(raw)
                except ValueError:
                    self._limiter.settle(reservation, None, answered=False)
                    await self._retry(budget, "server_error", idempotent, "unreadable body")
                    continue
                if not isinstance(answer, dict):
                    self._limiter.settle(reservation, None, answered=False)
                    raise ShopifyGraphQLError([GraphQLErrorEntry("unexpected response", None)])
                cost_ext = (answer.get("extensions") or {}).get("cost")
                throttle = ThrottleStatus.from_cost(cost_ext)
                self._limiter.settle(reservation, throttle)
                requested = self._record_cost(cost_ext)
                if learn_cost and requested is not None:
                    self._learned_cost[key] = requested
                errors = answer.get("errors")
                if not errors:
                    data = answer.get("data")
                    if not isinstance(data, dict):
                        raise ShopifyGraphQLError([GraphQLErrorEntry("response has no data", None)])
                    return data
                entries = self._entries(errors)
                codes = {e.code for e in entries}
                if "THROTTLED" in codes:
                    self._stats.throttled += 1
                    wait = None
                    if throttle is not None and requested is not None:
                        wait = self._limiter.wait_time(requested)
                    # With a known bucket the limiter itself sleeps before the next send;
                    # the computed wait is still charged against the retry time budget.
                    delay = budget.next_delay("throttled", "THROTTLED", server_wait=wait)
                    self._stats.retries += 1
                    if wait is None or wait <= 0:
                        await self._pause(delay)
                    continue
                if "MAX_COST_EXCEEDED" in codes:
                    raise MaxCostExceeded(entries)
                if "ACCESS_DENIED" in codes:
                    raise ShopifyForbidden("; ".join(e.message for e in entries))
                if "INTERNAL_SERVER_ERROR" in codes:
                    detail = "; ".join(e.message for e in entries)
                    await self._retry(budget, "server_error", idempotent, detail)
                    continue
                raise ShopifyGraphQLError(entries)

            self._limiter.settle(reservation, None, answered=False)
            if status == 429:
                self._stats.throttled += 1
                await self._retry(budget, "throttled", True, "HTTP 429", server_wait=retry_after)
                continue
            if status in RETRYABLE_STATUSES:
                await self._retry(
                    budget, "server_error", idempotent, f"HTTP {status}", server_wait=retry_after
                )
                continue
            raise self._status_error(status, raw)

    async def _post(self, body: bytes) -> tuple[int, float | None, bytes]:
        timeout = aiohttp.ClientTimeout(total=self._config.timeout)
        async with self._session.post(
            self._config.graphql_url, data=body, headers=self.headers, timeout=timeout
        ) as response:
            raw = await response.read()
            note_served_version(
                self._stats, self._config.api_version, response.headers.get("X-Shopify-API-Version")
            )
            return response.status, _retry_after(response.headers.get("Retry-After")), raw

    async def _retry(
        self,
        budget: RetryBudget,
        reason: UnavailableReason,
        safe: bool,
        detail: str,
        server_wait: float | None = None,
    ) -> None:
        if not safe:
            raise ShopifyUnavailable(reason, attempts=budget.retries + 1, detail=detail)
        delay = budget.next_delay(reason, detail, server_wait=server_wait)
        self._stats.retries += 1
        await self._pause(delay)

    async def _pause(self, delay: float) -> None:
        self._stats.retry_wait += delay
        await self._sleep(delay)

    def _record_cost(self, cost: Any) -> float | None:
        if not isinstance(cost, Mapping):
            return None
        requested = _number(cost.get("requestedQueryCost"))
        actual = _number(cost.get("actualQueryCost"))
        if actual is not None:
            self._stats.actual_cost += actual
            if requested is not None:
                self._stats.requested_cost += requested
        return requested

    def _safe(self, text: str) -> str:
        return redact(text, self._config.access_token)[:_DETAIL_LIMIT]

    def _entries(self, errors: Any) -> list[GraphQLErrorEntry]:
        if isinstance(errors, str):
            return [GraphQLErrorEntry(self._safe(errors), None)]
        entries = []
        for error in errors if isinstance(errors, list) else [errors]:
            if isinstance(error, Mapping):
                ext = error.get("extensions")
                code = ext.get("code") if isinstance(ext, Mapping) else None
                message = self._safe(str(error.get("message", "")))
                entries.append(GraphQLErrorEntry(message, str(code) if code else None))
            else:
                entries.append(GraphQLErrorEntry(self._safe(str(error)), None))
        return entries

    def _status_error(self, status: int, raw: bytes) -> Exception:
        if status == 401:
            return ShopifyAuthError()
        if status == 402:
            return ShopifyPaymentRequired()
        if status == 404:
            return ShopifyNotFound(self._config.shop_domain)
        if status == 423:
            return ShopifyLocked()
        detail = self._body_detail(raw)
        if status == 403:
            return ShopifyForbidden(detail)
        return ShopifyHTTPError(status, detail)

    def _body_detail(self, raw: bytes) -> str:
        try:
            answer = json.loads(raw)
        except ValueError:
            return ""
        errors = answer.get("errors") if isinstance(answer, dict) else None
        if not errors:
            return ""
        return "; ".join(e.message for e in self._entries(errors))


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # HTTP-date form: Shopify sends seconds; fall back to backoff
    return max(0.0, seconds)


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None


def _describe(exc: BaseException, fallback: str) -> str:
    return str(exc) or type(exc).__name__ or fallback
