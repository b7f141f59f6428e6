"""The Procrastinate application over the service's PostgreSQL database, and the task names
shared by the API (which defers by name) and the workers (which register the functions)."""

import procrastinate
from sqlalchemy.engine import make_url

RUN_TASK = "sigma.run"


def conninfo(database_url: str) -> str:
    """libpq's URL for SQLAlchemy's `postgresql+asyncpg://…`: Procrastinate speaks psycopg 3
    with its own pool, beside the service's asyncpg pool."""
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def job_app(database_url: str, pool_size: int) -> procrastinate.App:
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo(database_url), min_size=1, max_size=max(pool_size, 2)
    )
    return procrastinate.App(connector=connector)
