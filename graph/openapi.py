"""GET /openapi.json: an OpenAPI 3.1 description of the REST routes (graph/rest.py) and the
health probes (graph/health.py).

Written by hand next to the routes it describes, so clients and the fuzzing suite
(Schemathesis) can generate requests from it; a test keeps it in step with rest.routes.
"""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

from graph.rest import MAX_LIST

_ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}
_LOG = {
    "type": "object",
    "required": ["id", "channelId", "direction", "status", "startedAt", "pushed", "errors"],
    "properties": {
        "id": {"type": "string"},
        "channelId": {"type": "string"},
        "direction": {"enum": ["push", "pull", "bidirectional"]},
        "status": {"enum": ["running", "success", "partial", "failed"]},
        "startedAt": {"type": "string"},
        "completedAt": {"type": ["string", "null"]},
        "pushed": {"type": "integer"},
        "pulled": {"type": "integer"},
        "skipped": {"type": "integer"},
        "failed": {"type": "integer"},
        "errors": {"type": "array"},
    },
}
_MAPPING = {
    "type": "object",
    "required": ["id", "channelId", "entityId", "externalId", "checksum"],
    "properties": {
        "id": {"type": "string"},
        "channelId": {"type": "string"},
        "entityId": {"type": "string"},
        "externalId": {"type": "string"},
        "externalVariantIds": {"type": "array", "items": {"type": "string"}},
        "lastPushedAt": {"type": ["string", "null"]},
        "lastPulledAt": {"type": ["string", "null"]},
        "checksum": {"type": ["string", "null"]},
    },
}
_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}


def _errors(*statuses: int) -> dict[str, Any]:
    schema = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    described = {
        401: "no valid bearer token",
        404: "unknown channel",
        409: "a sync of the channel is running",
        413: "body larger than 1 MiB",
        422: "bad input",
    }
    return {str(s): {"description": described[s], **schema} for s in statuses}


def _start(summary: str, with_entity_ids: bool) -> dict[str, Any]:
    properties: dict[str, Any] = {"wait": {"type": "boolean"}}
    if with_entity_ids:
        properties["entityIds"] = {"type": "array", "items": {"type": "string"}}
    body = {"type": "object", "properties": properties}
    log = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/SyncLog"}}}}
    return {
        "post": {
            "summary": summary,
            "parameters": [_ID],
            "requestBody": {"required": False, "content": {"application/json": {"schema": body}}},
            "responses": {
                "200": {"description": "the finished run (wait: true)", **log},
                "202": {"description": "the run, started", **log},
                **_errors(401, 404, 409, 413, 422),
            },
        }
    }


def _list(summary: str, item: str) -> dict[str, Any]:
    limit = {"type": "integer", "minimum": 1, "maximum": MAX_LIST, "default": MAX_LIST}
    page = {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}}
    return {
        "get": {
            "summary": summary,
            "parameters": [
                _ID,
                {"name": "limit", "in": "query", "required": False, "schema": limit},
                {"name": "after", "in": "query", "required": False, "schema": {"type": "string"}},
            ],
            "responses": {
                "200": {
                    "description": "one page; a Link header (rel=next) points at the next",
                    "content": {"application/json": {"schema": page}},
                },
                **_errors(401, 404, 422),
            },
        }
    }


_READINESS = {
    "type": "object",
    "required": ["ready", "reason", "migration", "expectedMigration"],
    "properties": {
        "ready": {"type": "boolean"},
        "reason": {"type": ["string", "null"]},
        "migration": {"type": ["string", "null"]},
        "expectedMigration": {"type": "string"},
    },
}


def _health() -> dict[str, Any]:
    """The probes answer without a token (`security: []`)."""
    ok = {"type": "object", "required": ["ok"], "properties": {"ok": {"const": True}}}
    ready = {"content": {"application/json": {"schema": _READINESS}}}
    return {
        "/healthz": {
            "get": {
                "summary": "Liveness: the process answers (no database access)",
                "security": [],
                "responses": {
                    "200": {
                        "description": "the process is up",
                        "content": {"application/json": {"schema": ok}},
                    }
                },
            }
        },
        "/readyz": {
            "get": {
                "summary": "Readiness: the database answers and its migrations are current",
                "security": [],
                "responses": {
                    "200": {"description": "ready to serve", **ready},
                    "503": {"description": "not ready; reason says why", **ready},
                },
            }
        },
    }


def document() -> dict[str, Any]:
    connection = {"type": "object", "properties": {"ok": {"type": "boolean"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Sigma PIM channel sync: REST routes", "version": "1"},
        "components": {
            "schemas": {"Error": _ERROR, "SyncLog": _LOG, "SyncMapping": _MAPPING},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearer": []}],
        "paths": {
            "/channels/{id}/test-connection": {
                "post": {
                    "summary": "Run the shop query with the channel's credentials",
                    "parameters": [_ID],
                    "responses": {
                        "200": {
                            "description": "the outcome",
                            "content": {"application/json": {"schema": connection}},
                        },
                        **_errors(401, 404, 422),
                    },
                }
            },
            "/channels/{id}/sync": _start("Start a bidirectional sync", False),
            "/channels/{id}/push": _start("Start a push (all, or entityIds)", True),
            "/channels/{id}/pull": _start("Start a pull", False),
            "/channels/{id}/sync-logs": _list("The channel's sync logs, newest first", "SyncLog"),
            "/channels/{id}/sync-mappings": _list("The channel's mappings", "SyncMapping"),
            **_health(),
        },
    }


_DOCUMENT = document()


async def openapi(_: Request) -> JSONResponse:
    return JSONResponse(_DOCUMENT)
