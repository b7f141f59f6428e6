"""GET /healthz and GET /readyz over HTTP, without a token: readyz answers 503 with a reason
when the migrations are behind the code or the database cannot be reached, and names no
secret."""

from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.engine import create_engine
from db.readiness import code_head, readiness
from tests.helpers.http import async_client
from tests.helpers.live import SECRET, TOKEN, live_server
from tests.helpers.tcp_proxy import tcp_proxy


async def _set_revision(database_url: str, revision: str) -> None:
    engine = create_engine(database_url)
    async with engine.begin() as connection:
        await connection.execute(
            text("UPDATE alembic_version SET version_num = :r"), {"r": revision}
        )
    await engine.dispose()


async def test_both_probes_answer_without_a_token(database_url: str) -> None:
    async with live_server(database_url) as api, async_client(base_url=api.url) as anonymous:
        health = await anonymous.get("/healthz")
        ready = await anonymous.get("/readyz")
    assert (health.status_code, health.json()) == (200, {"ok": True})
    assert ready.status_code == 200
    assert ready.json() == {
        "ready": True,
        "reason": None,
        "migration": code_head(),
        "expectedMigration": code_head(),
    }


async def test_readyz_is_503_while_the_migrations_are_behind(database_url: str) -> None:
    async with live_server(database_url) as api, async_client(base_url=api.url) as anonymous:
        await _set_revision(database_url, "0006")
        behind = await anonymous.get("/readyz")
        alive = await anonymous.get("/healthz")
        await _set_revision(database_url, code_head())
        again = await anonymous.get("/readyz")
    assert behind.status_code == 503
    body = behind.json()
    assert body["ready"] is False and body["migration"] == "0006"
    assert body["reason"] == (
        f"the database schema is at 0006, the code needs {code_head()}; run the migrations"
    )
    assert alive.status_code == 200  # liveness does not depend on the database
    assert again.status_code == 200


async def test_readyz_is_503_when_the_database_is_unreachable(postgres_url: str) -> None:
    """PostgreSQL only: cutting the line needs a database behind TCP."""
    url = make_url(postgres_url)
    async with tcp_proxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
        async with (
            live_server(proxied) as api,
            async_client(base_url=api.url, timeout=10) as anonymous,
        ):
            assert (await anonymous.get("/readyz")).status_code == 200
            await proxy.cut()
            cut = await anonymous.get("/readyz")
            alive = await anonymous.get("/healthz")
    assert cut.status_code == 503
    body = cut.json()
    assert body["ready"] is False and body["migration"] is None
    assert body["reason"].startswith("the database is unreachable")
    assert str(proxy.port) not in cut.text and TOKEN not in cut.text
    assert alive.status_code == 200


async def test_an_unreachable_database_is_named_without_its_address_or_password() -> None:
    # Port 1 on the loopback refuses at once.
    engine = create_engine(f"postgresql+asyncpg://sigma:{SECRET}@127.0.0.1:1/sigma")
    try:
        found = await readiness(engine, timeout=5)
    finally:
        await engine.dispose()
    assert found.ready is False and found.revision is None
    assert found.reason is not None and found.reason.startswith("the database is unreachable (")
    assert SECRET not in found.reason and "127.0.0.1" not in found.reason
