"""Outermost ASGI middleware: request id, bearer-token check, body cap, and the last-resort
handler that logs an unexpected exception once and keeps the connection open."""

import hmac
import itertools
import json
import logging
import os
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from graph.error_codes import INTERNAL_ERROR, PAYLOAD_TOO_LARGE, UNAUTHENTICATED

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024
REQUEST_ID_HEADER = b"x-request-id"
# A caller's own id is kept (to correlate with its logs) when it is short and plain.
_CALLER_ID = re.compile(rb"^[A-Za-z0-9._-]{8,64}$")
log = logging.getLogger("sigma.api")


class BodyTooLarge(Exception):
    pass


def request_id(scope: Scope) -> str:
    rid: str = scope.get("state", {}).get("request_id", "")
    return rid


# A random per-process prefix and a counter: unique across workers and restarts, and cheaper
# than reading the OS's random source on every request.
_PREFIX = os.urandom(5).hex()
_COUNTER = itertools.count(1)


def _new_request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER and _CALLER_ID.match(value):
            return str(value.decode())
    return f"{_PREFIX}{next(_COUNTER):06x}"


async def _json_error(send: Send, status: int, code: str, message: str, extra: list[Any]) -> None:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + extra})
    await send({"type": "http.response.body", "body": body})


def _protected(method: str, path: str) -> bool:
    if path.startswith("/channels/"):
        return True
    # GET /graphql only serves the GraphiQL page (queries over GET are disabled).
    return path.rstrip("/") == "/graphql" and method != "GET"


class Guard:
    def __init__(self, app: ASGIApp, api_token: str, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self._expected = f"Bearer {api_token}".encode()
        self.max_body = max_body

    def _authorised(self, scope: Scope) -> bool:
        for name, value in scope.get("headers", []):
            if name == b"authorization":
                return hmac.compare_digest(value, self._expected)
        return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _new_request_id(scope)
        scope.setdefault("state", {})["request_id"] = rid
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, rid.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self._guarded(scope, receive, send_with_id)
        except Exception:
            # Logged here once; not re-raised, so the server keeps the connection alive.
            method, path = scope["method"], _path(scope)
            log.exception("request %s: unexpected error on %s %s", rid, method, path)
            if not started:
                await _json_error(
                    send_with_id,
                    500,
                    INTERNAL_ERROR,
                    f"Unexpected error (request {rid}).",
                    [],
                )

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        if _protected(scope["method"], scope["path"]) and not self._authorised(scope):
            await _json_error(
                send,
                401,
                UNAUTHENTICATED,
                "a valid 'Authorization: Bearer <SIGMA_API_TOKEN>' header is required",
                [(b"www-authenticate", b"Bearer")],
            )
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                await _json_error(
                    send,
                    413,
                    PAYLOAD_TOO_LARGE,
                    f"request body is larger than {self.max_body} bytes",
                    [],
                )
                return
        await self.app(scope, self._capped(receive), send)

    def _capped(self, receive: Receive) -> Receive:
        # Chunked bodies carry no Content-Length: count what arrives.
        seen = 0

        async def wrapped() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise BodyTooLarge(f"request body is larger than {self.max_body} bytes")
            return message

        return wrapped


def _path(scope: Scope) -> str:
    # Paths are caller input: cut them short and keep them on one log line.
    return repr(str(scope.get("path", "")))[1:-1][:200]
