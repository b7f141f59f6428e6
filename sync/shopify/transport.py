"""Runs GraphQL documents against one store through a gql session: cost limiting and retries.

Each attempt reserves its estimated cost with the limiter, is sent by gql (which first validates
the document against the store's API version, see admin_schema.py), and its answer is
interpreted by answers.py into data, a retry or an error. The HTTP side is http_transport.py.
"""

import asyncio
import random
from collections.abc import Callable, Mapping
from typing import Any

from gql import GraphQLRequest
from gql.client import AsyncClientSession
from gql.transport.exceptions import TransportQueryError
from graphql import DocumentNode, ExecutionResult, OperationDefinitionNode, OperationType

from sync.shopify import answers
from sync.shopify.answers import Retry
from sync.shopify.config import ShopifyConfig
from sync.shopify.errors import ShopifyUnavailable
from sync.shopify.http_transport import HTTPStatusAnswer, UnreadableAnswer
from sync.shopify.limiter import Clock, CostLimiter, Reservation, Sleep, ThrottleStatus
from sync.shopify.retry import RetryBudget
from sync.shopify.stats import ClientStats

CostKey = tuple[str, tuple[tuple[str, int], ...]]


class GraphQLTransport:
    def __init__(
        self,
        config: ShopifyConfig,
        session: AsyncClientSession,
        limiter: CostLimiter,
        stats: ClientStats,
        clock: Clock,
        sleep: Sleep = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        write_guard: Callable[[], None] = lambda: None,
    ) -> None:
        self._config = config
        # Called right before each attempt of a mutation is sent; raises to stop it (a sync run
        # that may have lost its lease, sync.lease).
        self._write_guard = write_guard
        self._session = session
        self._limiter = limiter
        self._stats = stats
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        # requestedQueryCost last seen per (operation, integer variables): Shopify's own number
        # replaces our static estimate once a query shape has been sent once.
        self._learned_cost: dict[CostKey, float] = {}

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
        request = GraphQLRequest(document, variable_values=dict(variables))
        key = _cost_key(document, variables) if learn_cost else None
        budget = RetryBudget(
            clock=self._clock,
            max_retries=self._config.max_retries,
            max_retry_time=self._config.max_retry_time,
            backoff_base=self._config.backoff_base,
            backoff_max=self._config.backoff_max,
            jitter=self._jitter,
        )
        while True:
            cost = self._learned_cost.get(key, estimated_cost) if key else estimated_cost
            reservation = await self._limiter.acquire(cost)
            outcome = await self._attempt(request, reservation, key, _is_mutation(document))
            if not isinstance(outcome, Retry):
                return outcome
            await self._before_retry(budget, outcome, idempotent)

    async def _attempt(
        self,
        request: GraphQLRequest,
        reservation: Reservation,
        key: CostKey | None,
        mutation: bool,
    ) -> dict[str, Any] | Retry:
        """Send once and interpret the answer; the cost reservation is settled either way."""
        token = self._config.access_token
        try:
            if mutation:
                self._write_guard()
            result = await self._session.execute(request, get_execution_result=True)
        except TransportQueryError as exc:  # an answer with `errors`
            result = ExecutionResult(data=exc.data, errors=exc.errors, extensions=exc.extensions)
        except HTTPStatusAnswer as exc:
            self._limiter.settle(reservation, None, answered=False)
            return answers.http_status(
                exc.status, exc.retry_after, exc.body, self._config.shop_domain, token
            )
        except UnreadableAnswer:
            self._limiter.settle(reservation, None, answered=False)
            return Retry("server_error", "unreadable body")
        except answers.CONNECTION_FAILURES as exc:
            self._limiter.settle(reservation, None, answered=False)
            return answers.connection_failure(exc, token)
        except BaseException:  # refused by local validation, cancelled: nothing was charged
            self._limiter.settle(reservation, None, answered=False)
            raise
        return self._answered(result, reservation, key)

    def _answered(
        self, result: ExecutionResult, reservation: Reservation, key: CostKey | None
    ) -> dict[str, Any] | Retry:
        cost_ext = (result.extensions or {}).get("cost")
        throttle = ThrottleStatus.from_cost(cost_ext)
        self._limiter.settle(reservation, throttle)
        requested = self._record_cost(cost_ext)
        if key is not None and requested is not None:
            self._learned_cost[key] = requested
        if not result.errors:
            assert result.data is not None  # http_transport turns a data-less answer into errors
            return result.data
        wait = None
        if throttle is not None and requested is not None:
            wait = self._limiter.wait_time(requested)
        entries = answers.error_entries(result.errors, self._config.access_token)
        return answers.graphql_errors(entries, wait)

    async def _before_retry(self, budget: RetryBudget, retry: Retry, idempotent: bool) -> None:
        if retry.throttled:
            self._stats.throttled += 1
        if not idempotent and not retry.nothing_ran:
            raise ShopifyUnavailable(retry.reason, attempts=budget.attempts, detail=retry.detail)
        delay = budget.next_delay(
            retry.reason, retry.detail, server_wait=retry.server_wait, throttled=retry.throttled
        )
        self._stats.retries += 1
        # The limiter sleeps the bucket's own wait before the next send; what the budget asks
        # beyond it (the floor of a repeated throttle) is slept here.
        own = delay - (retry.server_wait or 0.0) if retry.limiter_waits else delay
        if own > 0:
            self._stats.retry_wait += own
            await self._sleep(own)

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


def _cost_key(document: DocumentNode, variables: Mapping[str, Any]) -> CostKey:
    name = ""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode) and definition.name:
            name = definition.name.value
            break
    ints = tuple(
        sorted(
            (k, v) for k, v in variables.items() if isinstance(v, int) and not isinstance(v, bool)
        )
    )
    return name, ints


def _is_mutation(document: DocumentNode) -> bool:
    return any(
        isinstance(definition, OperationDefinitionNode)
        and definition.operation == OperationType.MUTATION
        for definition in document.definitions
    )


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return None
