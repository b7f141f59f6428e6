"""`sigma migrate` through the command line's entry point."""

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from db.engine import apply_migrations, create_engine
from graph.cli import main


def test_migrate_brings_the_database_to_the_newest_revision(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("SIGMA_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("SIGMA_API_TOKEN", "t")
    monkeypatch.setenv("SIGMA_SECRET_KEY", "k")
    assert main(["migrate"]) == 0
    with sqlite3.connect(path) as connection:
        (version,) = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    versions = Path(__file__).resolve().parents[2] / "db" / "migrations" / "versions"
    assert version == max(path.name[:4] for path in versions.glob("0*.py"))
    # Procrastinate's tables are PostgreSQL's only (migration 0011 is a no-op on SQLite).
    assert "sync_log" in tables and not any(t.startswith("procrastinate") for t in tables)


async def test_the_job_queue_tables_exist_on_postgresql_only(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        await apply_migrations(engine)
        async with engine.connect() as connection:
            if connection.dialect.name != "postgresql":
                names = await connection.run_sync(lambda c: inspect(c).get_table_names())
                assert not any(name.startswith("procrastinate") for name in names)
                return
            found = await connection.execute(
                text(
                    "SELECT to_regclass('procrastinate_jobs'), to_regclass('procrastinate_workers')"
                )
            )
            assert all(found.one())
            # The queue's own functions are there too (what a worker calls to fetch a job).
            fetch = await connection.execute(
                text("SELECT count(*) FROM pg_proc WHERE proname = 'procrastinate_fetch_job_v2'")
            )
            assert fetch.scalar_one() == 1
    finally:
        await engine.dispose()
