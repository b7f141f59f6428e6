"""`sigma worker`'s refusals, through the command line's entry point."""

from pathlib import Path

import pytest

from graph.cli import main


@pytest.fixture
def sqlite_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    monkeypatch.setenv("SIGMA_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.setenv("SIGMA_API_TOKEN", "t")
    monkeypatch.setenv("SIGMA_SECRET_KEY", "k")
    monkeypatch.delenv("SIGMA_RUN_MODE", raising=False)
    return path


def test_a_worker_needs_the_queue(sqlite_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worker"]) == 2
    assert "needs the queue: a PostgreSQL SIGMA_DATABASE_URL" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["worker", "--concurrency", "0"])
