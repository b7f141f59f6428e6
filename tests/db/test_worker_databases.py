"""Under xdist every worker tests on its own PostgreSQL database, named after the configured one."""

from tests.helpers.postgres import worker_url

URL = "postgresql+asyncpg://postgres:pw@127.0.0.1:5432/test"


def test_without_xdist_the_configured_database_is_used() -> None:
    assert worker_url(URL, None) == URL
    assert worker_url(URL, "master") == URL
    assert worker_url(None, "gw0") is None


def test_each_worker_gets_its_own_database_on_the_same_server() -> None:
    assert worker_url(URL, "gw0") == "postgresql+asyncpg://postgres:pw@127.0.0.1:5432/test_gw0"
    assert worker_url(URL, "gw1") == "postgresql+asyncpg://postgres:pw@127.0.0.1:5432/test_gw1"
