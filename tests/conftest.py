"""Fixtures shared by every test: databases (SQLite always, PostgreSQL when configured) and a
live API server on a free port."""

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from graphql import GraphQLSchema

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from sync.shopify.admin_schema import SCHEMA_FILES, load_schema_file
from tests.helpers.postgres import copy_template, create_template, worker_url

PG_URL = worker_url(
    os.environ.get("SIGMA_TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
)
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The default run leaves the fuzzing suite out by its marker (`make fuzz` runs it); not
    even collecting it spares each worker importing Schemathesis and building its schemas."""
    if collection_path.name == "fuzz" and config.getoption("markexpr") == "not fuzz":
        return True
    return None


@dataclass(frozen=True)
class Templates:
    """Databases migrated once per test process, which each test starts from a copy of."""

    sqlite: Path
    postgresql: str | None


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    try:
        await apply_migrations(engine)
    finally:
        # On SQLite, closing the last connection folds the WAL into the file, so the file alone
        # is the whole database.
        await engine.dispose()


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Templates:
    sqlite = tmp_path_factory.mktemp("template") / "migrated.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{sqlite}"))
    postgresql = None
    if PG_URL:
        postgresql = asyncio.run(create_template(PG_URL))
    return Templates(sqlite, postgresql)


@pytest.fixture(params=DATABASES)
async def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, templates: Templates
) -> AsyncIterator[str]:
    """A migrated database of its own for the test: SQLite always, PostgreSQL too when
    SIGMA_TEST_DATABASE_URL is set (CI sets it; under xdist, one database per worker).
    Servers started on it find nothing to migrate."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copyfile(templates.sqlite, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    assert PG_URL is not None and templates.postgresql is not None
    await copy_template(PG_URL, templates.postgresql)
    yield PG_URL


@pytest.fixture(params=["postgresql"] if PG_URL else [])
async def postgres_url(templates: Templates) -> AsyncIterator[str]:
    """For what needs PostgreSQL itself (the run queue and its workers): runs where the
    database tests run on PostgreSQL, that is when SIGMA_TEST_DATABASE_URL is set."""
    assert PG_URL is not None and templates.postgresql is not None
    await copy_template(PG_URL, templates.postgresql)
    yield PG_URL


@pytest.fixture(scope="session")
def shopify_unstable_schema() -> GraphQLSchema:
    """Shopify's real Admin SDL (unstable, 2025-10-09), vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[-1])


@pytest.fixture(scope="session")
def shopify_2025_01_schema() -> GraphQLSchema:
    """Shopify's real Admin 2025-01 introspection, vendored; parsed once per session."""
    return load_schema_file(SCHEMA_FILES[0])


async def _sessions(url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    """Sessions on a migrated database, for tests of db/ and sync/ functions without a server."""
    async for factory in _sessions(database_url):
        yield factory


@pytest.fixture
async def pg_sessions(postgres_url: str) -> AsyncIterator[SessionFactory]:
    """The same on PostgreSQL only."""
    async for factory in _sessions(postgres_url):
        yield factory
