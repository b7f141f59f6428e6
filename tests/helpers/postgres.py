"""The PostgreSQL database of a test process: the configured one, or one per xdist worker.

Under `pytest -n N` every worker gets its own database, named after the configured one and the
worker (`test` -> `test_gw0`, `test_gw1`), created on first use on the same server (CI's
PostgreSQL has trust auth), so workers never reset each other's schema.
"""

import re

from sqlalchemy import text
from sqlalchemy.engine import make_url

from db.engine import create_engine

_checked: set[str] = set()


def worker_url(url: str | None, worker: str | None) -> str | None:
    """`url` for a run without xdist; for worker `gwN`, the same server's database `<name>_gwN`."""
    if url is None or worker is None or worker == "master":
        return url
    parsed = make_url(url)
    return parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)


async def _ensure_database(url: str) -> None:
    name = make_url(url).database or ""
    # The name goes into CREATE DATABASE, which takes no bind parameter.
    assert re.fullmatch(r"[A-Za-z0-9_]+", name), f"unexpected test database name {name!r}"
    admin = create_engine(
        make_url(url).set(database="postgres").render_as_string(hide_password=False),
        isolation_level="AUTOCOMMIT",
    )
    try:
        async with admin.connect() as connection:
            found = await connection.scalar(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            )
            if not found:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await admin.dispose()


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
