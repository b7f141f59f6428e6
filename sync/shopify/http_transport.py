"""Sending: a gql transport (gql's AIOHTTPTransport, adapted) for Shopify's Admin GraphQL endpoint.

gql's own transport parses JSON before it looks at the status and keeps only part of an answer.
Shopify needs more: a 401 body carries `errors` as a string (not GraphQL), a 429/503 says how
long to wait in `Retry-After`, and every answer, THROTTLED ones included, carries
`extensions.cost`. So `execute` reads the status first and raises HTTPStatusAnswer for anything
but 200 (with the status, `Retry-After` and body), and returns the whole answer otherwise.
`inspect_response` is the one place response headers are looked at.
"""

import json
from collections.abc import Mapping
from typing import Any

import aiohttp
from gql import GraphQLRequest
from gql.transport.aiohttp import AIOHTTPTransport
from gql.transport.exceptions import TransportClosed, TransportProtocolError, TransportServerError
from graphql import DocumentNode, ExecutionResult, print_ast

from sync.shopify.config import ShopifyConfig
from sync.shopify.stats import ClientStats, note_served_version

USER_AGENT = "sigma-channel-sync"


class HTTPStatusAnswer(TransportServerError):
    """Shopify answered with an HTTP status other than 200; the caller decides what it means."""

    def __init__(self, status: int, retry_after: float | None, body: bytes) -> None:
        super().__init__(f"HTTP {status}", status)
        self.status = status
        self.retry_after = retry_after
        self.body = body


class UnreadableAnswer(TransportProtocolError):
    """HTTP 200 whose body is not JSON (a proxy's page, a truncated answer)."""


class ShopifyHTTPTransport(AIOHTTPTransport):
    """One store's endpoint over one aiohttp session (opened by gql's `Client` on connect)."""

    def __init__(
        self, config: ShopifyConfig, stats: ClientStats, connection_limit: int = 20
    ) -> None:
        super().__init__(
            url=config.graphql_url,
            # gql builds the session; the connector bounds concurrent connections to one store.
            client_session_args={
                "connector": aiohttp.TCPConnector(limit=connection_limit),
                "timeout": aiohttp.ClientTimeout(total=config.timeout),
            },
        )
        self._config = config
        self._stats = stats
        self._printed: dict[int, tuple[DocumentNode, str]] = {}

    @property
    def request_headers(self) -> dict[str, str]:
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

    async def execute(
        self,
        request: GraphQLRequest,
        *,
        extra_args: dict[str, Any] | None = None,
        upload_files: bool = False,
    ) -> ExecutionResult:
        """POST one request; the answer of a 200, or HTTPStatusAnswer for any other status.

        Connection failures (timeouts, refused or dropped connections) propagate as aiohttp
        raises them, so the caller can tell "never arrived" from "may have run".
        """
        if self.session is None:
            raise TransportClosed("Transport is not connected")
        timeout = aiohttp.ClientTimeout(total=self._config.timeout)
        self._stats.requests += 1
        async with self.session.post(
            self.url, data=self._body(request), headers=self.request_headers, timeout=timeout
        ) as response:
            self.inspect_response(response)
            raw = await response.read()
            if response.status != 200:
                retry_after = _retry_after(response.headers.get("Retry-After"))
                raise HTTPStatusAnswer(response.status, retry_after, raw)
        return _execution_result(raw)

    def inspect_response(self, response: aiohttp.ClientResponse) -> None:
        """Every response's headers, before its body is read (whatever its status)."""
        self.response_headers = response.headers
        note_served_version(
            self._stats, self._config.api_version, response.headers.get("X-Shopify-API-Version")
        )

    def _body(self, request: GraphQLRequest) -> bytes:
        payload = {
            "query": self._text(request.document),
            "variables": dict(request.variable_values or {}),
        }
        return json.dumps(payload).encode()

    def _text(self, document: DocumentNode) -> str:
        # Printing a big document on every request is measurable; the documents are constants.
        cached = self._printed.get(id(document))
        if cached is None or cached[0] is not document:
            cached = (document, print_ast(document))
            self._printed[id(document)] = cached
        return cached[1]


def _execution_result(raw: bytes) -> ExecutionResult:
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise UnreadableAnswer("unreadable body") from exc
    errors: Any
    if not isinstance(answer, Mapping):
        errors = [{"message": "unexpected response"}]
        return ExecutionResult(data=None, errors=errors)
    errors = answer.get("errors")
    data = answer.get("data")
    extensions = answer.get("extensions")
    if errors and not isinstance(errors, list):
        errors = [errors if isinstance(errors, Mapping) else {"message": str(errors)}]
    if not errors and not isinstance(data, Mapping):
        errors = [{"message": "response has no data"}]
    # graphql-core types errors as GraphQLError; gql passes Shopify's error dicts through as is.
    return ExecutionResult(data=data, errors=errors or None, extensions=extensions)


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # HTTP-date form: Shopify sends seconds; fall back to backoff
    return max(0.0, seconds)
