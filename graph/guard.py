"""ASGI middleware: bearer-token check and request-body cap, before any route runs."""

import hmac
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024


class BodyTooLarge(Exception):
    pass


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
        if _protected(scope["method"], scope["path"]) and not self._authorised(scope):
            await _json_error(
                send,
                401,
                "UNAUTHENTICATED",
                "a valid 'Authorization: Bearer <SIGMA_API_TOKEN>' header is required",
                [(b"www-authenticate", b"Bearer")],
            )
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length" and value.isdigit() and int(value) > self.max_body:
                await _json_error(
                    send,
                    413,
                    "PAYLOAD_TOO_LARGE",
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
