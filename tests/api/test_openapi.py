"""GET /openapi.json describes every REST route and method and the health probes, and nothing
else."""

from pathlib import Path

from graph import health, rest
from graph.openapi import document
from tests.helpers.live import live_server


async def test_openapi_describes_the_rest_routes(tmp_path: Path) -> None:
    async with live_server(f"sqlite+aiosqlite:///{tmp_path / 'o.db'}") as api:
        published = (await api.client.get("/openapi.json")).json()
    assert published == document()
    routes = {
        (r.path, m.lower())
        for r in [*rest.routes, *health.routes]
        for m in (r.methods or [])
        if m != "HEAD"
    }
    described = {(path, method) for path, item in published["paths"].items() for method in item}
    assert described == routes
