"""The fuzzing suite's server: one `sigma serve` process per database for the whole run; its
log must not hold the canary or an unexpected error when the run ends."""

import asyncio
import os
from collections.abc import Iterator

import pytest

from tests.helpers.fuzz_server import CANARY, FuzzServer, fuzz_server
from tests.helpers.postgres import reset_postgres, worker_url

PG_URL = worker_url(
    os.environ.get("SIGMA_TEST_DATABASE_URL"), os.environ.get("PYTEST_XDIST_WORKER")
)


@pytest.fixture(scope="session", params=["sqlite"] + (["postgresql"] if PG_URL else []))
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FuzzServer]:
    workdir = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir / 'fuzz.db'}"
    else:
        assert PG_URL is not None
        asyncio.run(reset_postgres(PG_URL))
        url = PG_URL
    with fuzz_server(url, workdir) as running:
        yield running
    log = running.log.read_text(errors="replace")
    print(f"\nfuzz ({request.param}): {running.requests} requests; server log {running.log}")
    assert CANARY not in log and CANARY[6:] not in log, "the canary reached the server log"
    assert "unexpected error" not in log, "an unexpected error was logged (see the log above)"
