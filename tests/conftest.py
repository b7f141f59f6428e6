"""Fixtures shared by every test: databases (SQLite always, PostgreSQL when configured) and a
live API server on a free port."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import GraphQLSchema
from sqlalchemy import text

from db.engine import create_engine
from sync.shopify.admin_schema import SCHEMA_FILES, load_schema_file

PG_URL = os.environ.get("SIGMA_TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


async def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


@pytest.fixture(params=DATABASES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Every database-backed test runs on SQLite, and on PostgreSQL too when
    SIGMA_TEST_DATABASE_URL is set (CI sets it)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    assert PG_URL is not None
    await _reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture(scope="session")
def shopify_unstable_schema() -> GraphQLSchema:
    """Shopify's real Admin SDL (unstable, 2025-10-09), vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[-1])


@pytest.fixture(scope="session")
def shopify_2025_01_schema() -> GraphQLSchema:
    """Shopify's real Admin 2025-01 introspection, vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[0])
