"""POST /graphql over HTTP (GraphQL-over-HTTP, application/json), GraphiQL on GET.

Strawberry's own view answered 500 to a body that was not UTF-8, was JSON null/false/1, or
nested 1,000 deep; this one reads the request strictly and answers every malformed request
with a 4xx in GraphQL's error shape ({"errors": [{"message", "extensions": {"code"}}]}).
A well-formed request gets 200 with its GraphQL errors, as the spec asks for application/json;
a client that accepts application/graphql-response+json gets 400 when no data could be had.
https://graphql.github.io/graphql-over-http/draft/#sec-application-json
"""

import asyncio
import json
from collections import OrderedDict
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from strawberry import Schema
from strawberry.exceptions import MissingQueryError
from strawberry.http.ides import get_graphql_ide_html
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from graph import error_codes
from graph.context import Context
from graph.error_policy import prepare
from graph.guard import BodyTooLarge, request_id
from graph.json_body import BadJson, decode
from graph.services import Services

JSON = "application/json"
GRAPHQL_RESPONSE = "application/graphql-response+json"
_ALLOWED = frozenset({OperationType.QUERY, OperationType.MUTATION})
PREPARED = 256


def encode(data: Any) -> bytes:
    try:
        return orjson.dumps(data)
    except TypeError:
        # orjson refuses integers beyond 64 bits, which a JSON attribute may hold.
        return json.dumps(data, separators=(",", ":")).encode()


def _error(status: int, code: str, message: str, rid: str, **headers: str) -> Response:
    body = {"errors": [{"message": message, "extensions": {"code": code, "requestId": rid}}]}
    return Response(encode(body), status, headers=headers, media_type=JSON)


class BadRequest(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def _content_type_is_json(request: Request) -> bool:
    media, _, params = request.headers.get("content-type", "").partition(";")
    if media.strip().lower() != JSON:
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() != "utf-8":
            return False
    return True


def _operation(body: Any) -> tuple[str, dict[str, Any] | None, str | None]:
    if isinstance(body, list):
        raise BadRequest(400, error_codes.BAD_REQUEST, "batched operations are not supported")
    if not isinstance(body, dict):
        raise BadRequest(400, error_codes.BAD_REQUEST, "the body must be a JSON object")
    query, variables, name = body.get("query"), body.get("variables"), body.get("operationName")
    if not isinstance(query, str) or not query.strip():
        raise BadRequest(400, error_codes.BAD_REQUEST, "query must be a non-empty string")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequest(400, error_codes.BAD_REQUEST, "variables must be an object or null")
    if name is not None and not isinstance(name, str):
        raise BadRequest(400, error_codes.BAD_REQUEST, "operationName must be a string or null")
    extensions = body.get("extensions")
    if extensions is not None and not isinstance(extensions, dict):
        raise BadRequest(400, error_codes.BAD_REQUEST, "extensions must be an object or null")
    return query, variables, name


class GraphQLEndpoint:
    def __init__(self, schema: Schema, services: Services) -> None:
        self.schema = schema
        self.services = services
        self._ide = get_graphql_ide_html(graphql_ide="graphiql")
        # Operation texts already parsed and validated (graph.error_policy.prepare); the same
        # size as the parse and validation caches.
        self._prepared: OrderedDict[str, None] = OrderedDict()
        self._preparing = asyncio.Semaphore(1)

    async def _prepare(self, query: str) -> None:
        rules = getattr(self.schema, "request_rules", ())
        # One at a time: the event loop then shares the GIL with a single busy thread, however
        # many new operations arrive at once.
        async with self._preparing:
            await asyncio.to_thread(prepare, self.schema._schema, query, rules)
        self._prepared[query] = None
        if len(self._prepared) > PREPARED:
            self._prepared.popitem(last=False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        response = await self.handle(request)
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        rid = request_id(request.scope)
        if request.method == "GET" and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(self._ide)
        if request.method != "POST":
            message = "send operations with POST (queries over GET are disabled)"
            return _error(405, error_codes.METHOD_NOT_ALLOWED, message, rid, allow="POST")
        if not _content_type_is_json(request):
            message = "Content-Type must be application/json (UTF-8)"
            return _error(415, error_codes.UNSUPPORTED_MEDIA_TYPE, message, rid)
        try:
            body = decode(await request.body())
            query, variables, operation_name = _operation(body)
        except BodyTooLarge as error:
            return _error(413, error_codes.PAYLOAD_TOO_LARGE, str(error), rid)
        except BadJson as error:
            return _error(400, error_codes.INVALID_JSON, str(error), rid)
        except BadRequest as error:
            return _error(error.status, error.code, error.message, rid)
        if query not in self._prepared:
            await self._prepare(query)
        context = Context(services=self.services, request_id=rid)
        try:
            result = await self.schema.execute(
                query,
                variable_values=variables,
                context_value=context,
                operation_name=operation_name,
                allowed_operation_types=_ALLOWED,
            )
        except CannotGetOperationTypeError as error:
            return _error(400, error_codes.BAD_REQUEST, error.as_http_error_reason(), rid)
        except InvalidOperationTypeError:
            message = "only queries and mutations are served over HTTP"
            return _error(400, error_codes.BAD_REQUEST, message, rid)
        except MissingQueryError:
            return _error(400, error_codes.BAD_REQUEST, "query must be a non-empty string", rid)
        payload: dict[str, Any] = {"data": result.data}
        if result.errors:
            payload["errors"] = [error.formatted for error in result.errors]
        wants_problem_status = GRAPHQL_RESPONSE in request.headers.get("accept", "")
        if wants_problem_status:
            status = 400 if result.data is None and result.errors else 200
            return Response(encode(payload), status, media_type=GRAPHQL_RESPONSE)
        return Response(encode(payload), 200, media_type=JSON)
