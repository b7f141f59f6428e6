"""The aiohttp application: Shopify's endpoint, auth, faults, cost and throttling."""

import asyncio
import hmac
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from emulator.bucket import LeakyBucket
from emulator.bulk import BulkRunner
from emulator.context import ExecContext
from emulator.cost import MAX_SINGLE_QUERY_COST
from emulator.errors import INVALID_TOKEN, max_cost_error, throttled_error
from emulator.executor import Executor, Planned, root_fields
from emulator.faults import Fault, FaultKind, Faults
from emulator.merchant_seed import MerchantStore
from emulator.stats import Stats
from emulator.store import Store
from emulator.versions import BULK_2026_01, Served, serve
from emulator.webhooks import Webhooks


@dataclass
class EmulatorState:
    store: Store
    executors: dict[bool, Executor]  # by "has the 2026-01 schema"
    bucket: LeakyBucket
    faults: Faults
    token: str = field(repr=False)
    webhooks: Webhooks = field(repr=False)
    stats: Stats = field(default_factory=Stats)
    bulk: BulkRunner | None = None
    base_url: str = ""
    merchant: MerchantStore | None = None  # what `merchant_store` seeded, if asked

    def version(self, requested: str) -> Served:
        return serve(requested, self.store.clock.moment())

    def executor(self, version: Served) -> Executor:
        return self.executors[version.at_least(BULK_2026_01)]


STATE: web.AppKey[EmulatorState] = web.AppKey("emulator_state", EmulatorState)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        text=json.dumps(body, separators=(",", ":")),
        status=status,
        content_type="application/json",
        headers=headers,
    )


def _drop(request: web.Request) -> web.Response:
    transport = request.transport
    if transport is not None:
        transport.abort()
    return web.Response(status=500)


def _cost(requested: int, actual: int | None, state: EmulatorState) -> dict[str, Any]:
    return {
        "cost": {
            "requestedQueryCost": requested,
            "actualQueryCost": actual,
            "throttleStatus": state.bucket.status(),
        }
    }


def _fault_response(fault: Fault, state: EmulatorState) -> web.Response:
    state.stats.statuses[fault.status] += 1
    if fault.status == 429:
        retry = (
            fault.retry_after if fault.retry_after is not None else state.faults.config.retry_after
        )
        body = {
            "errors": "Exceeded 2 calls per second for api client. Reduce request rates to "
            "resume uninterrupted service."
        }
        return _json(body, 429, {"Retry-After": f"{retry:.1f}"})
    messages = {
        500: "Internal Server Error",
        502: "Bad Gateway",
        503: "Service Unavailable",
        504: "Gateway Timeout",
    }
    headers = {"Retry-After": f"{fault.retry_after:.1f}"} if fault.retry_after is not None else None
    return _json({"errors": messages.get(fault.status, "Error")}, fault.status, headers)


def _authorized(request: web.Request, state: EmulatorState) -> bool:
    supplied = request.headers.get("X-Shopify-Access-Token", "")
    return hmac.compare_digest(supplied.encode(), state.token.encode())


def _wrong_shop(request: web.Request, state: EmulatorState) -> bool:
    host = (request.headers.get("Host") or "").split(":")[0].lower()
    return host.endswith(".myshopify.com") and host != state.store.shop.domain.lower()


async def _read_body(request: web.Request) -> dict[str, Any] | web.Response:
    content_type = request.content_type
    raw = await request.text()
    if content_type == "application/graphql":
        return {"query": raw}
    try:
        body = json.loads(raw)
    except ValueError:
        return _json({"errors": "Invalid JSON in request body"}, 400)
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return _json({"errors": {"query": "Required parameter missing or invalid"}}, 400)
    if body.get("variables") is not None and not isinstance(body["variables"], dict):
        return _json({"errors": {"variables": "Variables must be an object"}}, 400)
    return body


async def graphql(request: web.Request) -> web.Response:
    state = request.app[STATE]
    stats = state.stats
    stats.total += 1
    version = state.version(request.match_info["version"])
    if _wrong_shop(request, state):
        return _json({"errors": "Not Found"}, 404)
    if not _authorized(request, state):
        stats.unauthorized += 1
        return _json({"errors": INVALID_TOKEN}, 401)
    body = await _read_body(request)
    if isinstance(body, web.Response):
        return body
    # The version actually served, which differs from the URL's after a fall-forward.
    headers = {"X-Shopify-API-Version": version.handle}
    executor = state.executor(version)
    prepared = executor.prepare(body["query"])
    if prepared.errors:
        return _json({"errors": prepared.errors, "extensions": _cost(0, 0, state)}, headers=headers)
    variables = body.get("variables")
    plan = executor.plan(prepared, body.get("operationName"), variables)
    if not isinstance(plan, Planned):
        return _json({"errors": plan, "extensions": _cost(0, 0, state)}, headers=headers)
    roots = root_fields(plan.operation)
    for root in roots:
        stats.requests[root] += 1
    if plan.operation.name:
        stats.operations[plan.operation.name.value] += 1
    fault = state.faults.decide(roots)
    if state.faults.config.latency > 0:
        await asyncio.sleep(state.faults.config.latency)
    if fault.kind is FaultKind.DROP:
        stats.dropped += 1
        return _drop(request)
    if fault.kind is FaultKind.STATUS:
        return _fault_response(fault, state)
    requested = plan.requested_cost
    if requested > MAX_SINGLE_QUERY_COST:
        stats.max_cost_exceeded += 1
        error = max_cost_error(requested, MAX_SINGLE_QUERY_COST)
        return _json(
            {"errors": [error], "extensions": _cost(requested, None, state)}, headers=headers
        )
    if not state.bucket.try_take(requested):
        stats.throttled += 1
        return _json(
            {"errors": [throttled_error()], "extensions": _cost(requested, None, state)},
            headers=headers,
        )
    context = ExecContext(state.store, state.bulk, version=version, webhooks=state.webhooks)
    # Whatever a mutation changed fires the shop's product webhooks (merchant edits included).
    before = state.webhooks.snapshot() if plan.operation.operation.value == "mutation" else None
    result, actual = executor.run(prepared, plan, variables, context)
    state.webhooks.emit_changes(before)
    state.bucket.refund(requested - actual)
    stats.cost_spent += actual
    if fault.kind is FaultKind.DROP_AFTER_COMMIT:
        stats.dropped += 1
        return _drop(request)
    result["extensions"] = _cost(requested, actual, state)
    return _json(result, headers=headers)


async def bulk_file(request: web.Request) -> web.StreamResponse:
    state = request.app[STATE]
    token = request.match_info["token"]
    path = state.store.files.results.get(token)
    if path is None or not path.exists():
        return web.Response(
            status=404, text="<Error><Code>NoSuchKey</Code></Error>", content_type="application/xml"
        )
    if state.store.clock.now() >= state.store.files.expires.get(token, 2**62):
        # Result links are signed storage URLs valid for 7 days (BulkOperation docs); an expired
        # one is refused by the storage service as Cloud Storage refuses an expired V4 signature.
        body = (
            "<?xml version='1.0' encoding='UTF-8'?><Error><Code>ExpiredToken</Code>"
            "<Message>Invalid argument.</Message><Details>The provided token has expired."
            "</Details></Error>"
        )
        return web.Response(status=400, text=body, content_type="application/xml")
    return web.FileResponse(path, headers={"Content-Type": "application/jsonl"})


async def healthz(request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


def build_app(
    state: EmulatorState, extra_routes: list[web.RouteDef] | None = None
) -> web.Application:
    app = web.Application(client_max_size=32 * 1024 * 1024)
    app[STATE] = state
    app.router.add_post("/admin/api/{version}/graphql.json", graphql)
    app.router.add_get("/bulk-results/{token}.jsonl", bulk_file)
    app.router.add_get("/healthz", healthz)
    if extra_routes:
        app.router.add_routes(extra_routes)
    return app
