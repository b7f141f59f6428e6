"""GET /healthz (the process answers) and GET /readyz (it can serve: database and migrations).

Both without authentication, for load balancers and orchestrators; neither says anything
secret. /healthz touches no database, so a slow database never makes a live process look dead.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from db.readiness import readiness


async def healthz(_: Request) -> Response:
    return JSONResponse({"ok": True})


async def readyz(request: Request) -> Response:
    found = await readiness(request.app.state.engine)
    body = {
        "ready": found.ready,
        "reason": found.reason,
        "migration": found.revision,
        "expectedMigration": found.head,
    }
    return JSONResponse(body, status_code=200 if found.ready else 503)


routes = [
    Route("/healthz", healthz, methods=["GET"]),
    Route("/readyz", readyz, methods=["GET"]),
]
