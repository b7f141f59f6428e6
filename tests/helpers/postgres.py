"""The PostgreSQL database of a test process: the configured one, or one per xdist worker.

Under `pytest -n N` every worker gets its own database, named after the configured one and the
worker (`test` -> `test_gw0`, `test_gw1`), created on first use on the same server (CI's
PostgreSQL has trust auth), so workers never reset each other's schema.

A test starts on a copy of a database migrated once per process (`<name>_template`): copying
takes 30-60 ms where emptying the schema and migrating again took 95 ms.
"""

import contextlib
import re
from collections.abc import AsyncIterator

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.engine import apply_migrations, create_engine
from db.poll_cache import APPLICATION_NAME

_checked: set[str] = set()


def worker_url(url: str | None, worker: str | None) -> str | None:
    """`url` for a run without xdist; for worker `gwN`, the same server's database `<name>_gwN`."""
    if url is None or worker is None or worker == "master":
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


def _name(url: str) -> str:
    name = make_url(url).database or ""
    # The name goes into CREATE DATABASE, which takes no bind parameter.
    assert re.fullmatch(r"[A-Za-z0-9_]+", name), f"unexpected test database name {name!r}"
    return name


@contextlib.asynccontextmanager
async def _admin(url: str) -> AsyncIterator[AsyncConnection]:
    """A connection outside any transaction to the server's `postgres` database."""
    admin = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with admin.connect() as connection:
            yield connection
    finally:
        await admin.dispose()


async def _ensure_database(url: str) -> None:
    name = _name(url)
    async with _admin(url) as connection:
        found = await connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not found:
            await connection.execute(text(f'CREATE DATABASE "{name}"'))


async def create_template(url: str) -> str:
    """A freshly migrated `<name>_template` database beside `url`'s; its URL."""
    template = (
        make_url(url).set(database=f"{_name(url)}_template").render_as_string(hide_password=False)
    )
    name = _name(template)
    async with _admin(url) as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = create_engine(template)
    try:
        await apply_migrations(engine)
    finally:
        await engine.dispose()
    return template


async def copy_template(url: str, template: str) -> None:
    """`url`'s database replaced by a copy of `template` (see create_template). FORCE ends the
    connections a previous test's processes may have left behind."""
    name = _name(url)
    async with _admin(url) as connection:
        await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{_name(template)}"'))


async def reset_postgres(url: str) -> None:
    """An empty `public` schema in `url`'s database (created first when it does not exist)."""
    if url not in _checked:
        await _ensure_database(url)
        _checked.add(url)
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def poll_listeners(engine: AsyncEngine, *, terminate: bool = False) -> int:
    """How many poll cache listeners (db.poll_cache) are connected to `engine`'s database;
    with `terminate`, how many were, each of them now ended."""
    counted = "count(pg_terminate_backend(pid))" if terminate else "count(*)"
    async with engine.begin() as connection:
        found = await connection.scalar(
            text(
                f"SELECT {counted} FROM pg_stat_activity "
                "WHERE application_name = :name AND datname = current_database()"
            ),
            {"name": APPLICATION_NAME},
        )
    return int(found or 0)
