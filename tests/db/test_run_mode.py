"""SIGMA_RUN_MODE: queue on PostgreSQL by default, in-process runs on SQLite."""

from pathlib import Path

import pytest

from db.settings import RunMode, SettingsError, load_settings

PG = "postgresql+asyncpg://u@db/sigma"
SECRETS = {"SIGMA_API_TOKEN": "t", "SIGMA_SECRET_KEY": "k"}


def test_the_database_decides_by_default(tmp_path: Path) -> None:
    assert load_settings(SECRETS, tmp_path).run_mode == RunMode.EMBEDDED
    assert load_settings({**SECRETS, "SIGMA_DATABASE_URL": PG}).run_mode == RunMode.QUEUE


def test_postgresql_may_run_embedded_but_sqlite_cannot_queue(tmp_path: Path) -> None:
    env = {**SECRETS, "SIGMA_DATABASE_URL": PG, "SIGMA_RUN_MODE": "Embedded"}
    assert load_settings(env).run_mode == RunMode.EMBEDDED
    with pytest.raises(SettingsError, match="needs a PostgreSQL"):
        load_settings({**SECRETS, "SIGMA_RUN_MODE": "queue"}, tmp_path)
    with pytest.raises(SettingsError, match="embedded, queue"):
        load_settings({**SECRETS, "SIGMA_RUN_MODE": "celery"}, tmp_path)
