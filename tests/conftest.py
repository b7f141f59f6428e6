"""Fixtures shared by every test: databases (SQLite always, PostgreSQL when configured) and a
live API server on a free port."""

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from graphql import GraphQLSchema

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from sync.shopify.admin_schema import SCHEMA_FILES, load_schema_file
from tests.helpers.postgres import reset_postgres, worker_url

PG_URL = worker_url(
    os.environ.get("SIGMA_TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
)
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(params=DATABASES)
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """Every database-backed test runs on SQLite, and on PostgreSQL too when
    SIGMA_TEST_DATABASE_URL is set (CI sets it; under xdist, one database per worker)."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    assert PG_URL is not None
    await reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture(params=["postgresql"] if PG_URL else [])
async def postgres_url() -> AsyncIterator[str]:
    """For what needs PostgreSQL itself (the run queue and its workers): runs where the
    database tests run on PostgreSQL, that is when SIGMA_TEST_DATABASE_URL is set."""
    assert PG_URL is not None
    await reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture(scope="session")
def shopify_unstable_schema() -> GraphQLSchema:
    """Shopify's real Admin SDL (unstable, 2025-10-09), vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[-1])


@pytest.fixture(scope="session")
def shopify_2025_01_schema() -> GraphQLSchema:
    """Shopify's real Admin 2025-01 introspection, vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[0])


async def _migrated(url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(url)
    await apply_migrations(engine)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions on a migrated database, for tests of db/ and sync/ functions without a server."""
    async for factory in _migrated(database_url):
        yield factory


@pytest.fixture
async def pg_sessions(postgres_url: str) -> AsyncIterator[SessionFactory]:
    """The same on PostgreSQL only."""
    async for factory in _migrated(postgres_url):
        yield factory
