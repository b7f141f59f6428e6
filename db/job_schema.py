"""Procrastinate's tables (the run queue), created by our Alembic chain on PostgreSQL only."""

import inspect
from typing import Any

from procrastinate.schema import SchemaManager
from sqlalchemy.engine import Connection
from sqlalchemy.util import await_only

# Every table, type and function Procrastinate creates carries this prefix.
PREFIX = "procrastinate_"


def is_job_object(name: str | None) -> bool:
    """Tells Alembic's comparisons to leave Procrastinate's tables alone: they are not models."""
    return bool(name) and str(name).startswith(PREFIX)


def include_name(name: str | None, type_: str, _parent: Any) -> bool:
    return not (type_ == "table" and is_job_object(name))


def apply_job_schema(connection: Connection) -> None:
    """Runs Procrastinate's schema.sql (for the installed version) inside the migration's
    transaction. The file holds many statements and plpgsql bodies, which a prepared statement
    (what SQLAlchemy's asyncpg adapter sends) refuses, so it goes through the driver's own
    simple-query execute."""
    sql = SchemaManager.get_schema()
    driver = connection.connection.driver_connection
    assert driver is not None
    result = driver.execute(sql)
    if inspect.isawaitable(result):
        await_only(result)
