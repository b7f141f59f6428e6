"""The REST endpoints of the original feature request: its JSON shapes (camelCase, lowercase enum
values) and `{"error": {"code", "message"}}` errors with a fitting HTTP status."""

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from db import channels, sync_logs, sync_mappings
from db.clock import iso
from db.enums import SyncDirection
from db.errors import SyncInProgress, UserErrors
from db.models import SyncLog, SyncMapping
from graph.json_body import BadJson, decode
from graph.services import Services
from graph.text_rules import forbidden_character

MAX_LIST = 250
# ASCII digits only: str.isdigit() accepts "²", which int() then refuses.
_LIMIT = re.compile(r"[0-9]{1,4}")


def log_json(log: SyncLog) -> dict[str, Any]:
    return {
        "id": log.id,
        "channelId": log.channel_id,
        "direction": log.direction.lower(),
        "status": log.status.lower(),
        "startedAt": iso(log.started_at),
        "completedAt": iso(log.completed_at),
        "pushed": log.pushed,
        "pulled": log.pulled,
        "skipped": log.skipped,
        "failed": log.failed,
        "errors": log.errors,
    }


def mapping_json(mapping: SyncMapping) -> dict[str, Any]:
    return {
        "id": mapping.id,
        "channelId": mapping.channel_id,
        "entityId": mapping.entity_id,
        "externalId": mapping.external_id,
        "externalVariantIds": mapping.external_variant_ids,
        "lastPushedAt": iso(mapping.last_pushed_at),
        "lastPulledAt": iso(mapping.last_pulled_at),
        "checksum": mapping.checksum,
    }


def error(status: int, code: str, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, **extra}}, status_code=status)


def _services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


async def _channel_or_404(request: Request) -> tuple[str, JSONResponse | None]:
    channel_id = request.path_params["id"]
    problem = forbidden_character(channel_id)
    if problem:
        return channel_id, error(422, "INVALID", f"the channel id contains {problem}")
    async with _services(request).sessions() as session:
        if await channels.get_channel(session, channel_id) is None:
            shown = channel_id if len(channel_id) <= 100 else channel_id[:100] + "..."
            return channel_id, error(404, "NOT_FOUND", f"channel '{shown}' does not exist")
    return channel_id, None


def _list_params(request: Request) -> tuple[int, str | None] | JSONResponse:
    raw = request.query_params.get("limit", "250")
    if not _LIMIT.fullmatch(raw) or not 1 <= int(raw) <= MAX_LIST:
        return error(422, "INVALID", f"limit must be an integer from 1 to {MAX_LIST}")
    after = request.query_params.get("after")
    if after is not None and forbidden_character(after):
        return error(422, "INVALID", "after is not a valid cursor")
    return int(raw), after


def _next_link(request: Request, cursor: str | None) -> dict[str, str]:
    if cursor is None:
        return {}
    url = request.url.include_query_params(after=cursor)
    return {"Link": f'<{url}>; rel="next"'}


def _list_route(fetch: Any, to_json: Any) -> Any:
    """GET of one page of a channel's rows, with a Link header to the next page."""

    async def route(request: Request) -> JSONResponse:
        channel_id, missing = await _channel_or_404(request)
        if missing:
            return missing
        params = _list_params(request)
        if isinstance(params, JSONResponse):
            return params
        limit, after = params
        try:
            async with _services(request).sessions() as session:
                page = await fetch(session, channel_id, None, limit, after)
        except UserErrors as failure:
            return error(422, "INVALID", str(failure))
        headers = _next_link(request, page.end_cursor if page.has_next_page else None)
        return JSONResponse([to_json(row) for row in page.items], headers=headers)

    return route


async def _body(request: Request) -> dict[str, Any] | JSONResponse:
    raw = await request.body()
    if not raw.strip():
        return {}
    try:
        body = decode(raw)
    except BadJson as problem:
        return error(422, "INVALID_JSON", str(problem))
    if not isinstance(body, dict):
        return error(422, "INVALID", "the body must be a JSON object")
    if "wait" in body and not isinstance(body["wait"], bool):
        return error(422, "INVALID", "wait must be true or false")
    ids = body.get("entityIds")
    if ids is not None and not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
        return error(422, "INVALID", "entityIds must be a list of strings")
    return body


def _start_route(direction: SyncDirection) -> Any:
    async def start(request: Request) -> JSONResponse:
        channel_id, missing = await _channel_or_404(request)
        if missing:
            return missing
        body = await _body(request)
        if isinstance(body, JSONResponse):
            return body
        entity_ids = body.get("entityIds") if direction == SyncDirection.PUSH else None
        if direction != SyncDirection.PUSH and body.get("entityIds") is not None:
            return error(422, "INVALID", "entityIds is accepted by push only")
        try:
            log = await _services(request).runner.start(
                channel_id, direction, entity_ids, bool(body.get("wait", False))
            )
        except SyncInProgress as busy:
            first = busy.errors[0]
            return error(409, first.code, first.message, syncLog=log_json(busy.running))
        except UserErrors as failure:
            first = failure.errors[0]
            return error(422, first.code, first.message)
        return JSONResponse(log_json(log), status_code=200 if log.completed_at else 202)

    return start


async def test_connection(request: Request) -> JSONResponse:
    channel_id, missing = await _channel_or_404(request)
    if missing:
        return missing
    try:
        result = await _services(request).runner.test_connection(channel_id)
    except UserErrors as failure:
        return error(422, failure.errors[0].code, failure.errors[0].message)
    shop = result.shop
    return JSONResponse(
        {
            "ok": result.ok,
            "message": result.message,
            "shop": None
            if shop is None
            else {
                "name": shop.name,
                "myshopifyDomain": shop.myshopify_domain,
                "primaryDomainUrl": shop.primary_domain_url,
                "planName": shop.plan_name,
                "currencyCode": shop.currency_code,
                "ianaTimezone": shop.iana_timezone,
            },
        }
    )


routes = [
    Route("/channels/{id}/test-connection", test_connection, methods=["POST"]),
    Route("/channels/{id}/sync", _start_route(SyncDirection.BIDIRECTIONAL), methods=["POST"]),
    Route("/channels/{id}/push", _start_route(SyncDirection.PUSH), methods=["POST"]),
    Route("/channels/{id}/pull", _start_route(SyncDirection.PULL), methods=["POST"]),
    Route("/channels/{id}/sync-logs", _list_route(sync_logs.list_logs, log_json), methods=["GET"]),
    Route(
        "/channels/{id}/sync-mappings",
        _list_route(sync_mappings.list_mappings, mapping_json),
        methods=["GET"],
    ),
]
