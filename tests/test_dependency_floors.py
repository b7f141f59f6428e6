"""The dependency floors in pyproject.toml are versions the code runs on.

`.ci/floors` installs exactly the floors in a throwaway venv and runs the Shopify client and
emulator tests there; this test keeps the declared floors, what is installed and what the code
imports from those libraries consistent on every run.
"""

import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def floors() -> dict[str, Version]:
    project = tomllib.loads(PYPROJECT.read_text())["project"]
    found = {}
    for line in project["dependencies"]:
        requirement = Requirement(line)
        lower = [s.version for s in requirement.specifier if s.operator == ">="]
        assert lower, f"{line}: every dependency needs a >= floor"
        found[requirement.name] = Version(lower[0])
    return found


@pytest.mark.parametrize("name", ["gql", "graphql-core", "aiohttp"])
def test_installed_version_is_at_least_the_floor(name: str) -> None:
    floor = floors()[name]
    installed = Version(metadata.version(name))
    assert installed >= floor, f"{name} {installed} is below the declared floor {floor}"


def test_gql_floor_accepts_the_graphql_core_floor() -> None:
    # gql 4.0 pins graphql-core<3.3; a gql floor whose graphql-core range excludes ours cannot
    # be installed next to it. The installed gql states its range in its metadata.
    required = [Requirement(r) for r in metadata.requires("gql") or []]
    graphql_core = next(r for r in required if r.name == "graphql-core" and not r.marker)
    assert graphql_core.specifier.contains(floors()["graphql-core"], prereleases=True)


def test_aiohttp_floor_is_inside_gqls_aiohttp_extra() -> None:
    required = [Requirement(r) for r in metadata.requires("gql") or []]
    extra = next(
        r
        for r in required
        if r.name == "aiohttp" and r.marker and r.marker.evaluate({"extra": "aiohttp"})
    )
    assert extra.specifier.contains(floors()["aiohttp"])


def test_what_the_client_imports_from_gql_exists() -> None:
    # The names sync/shopify relies on; they moved between gql 3 and 4 (GraphQLRequest as the
    # execute argument, AsyncTransport's module).
    from gql import Client, GraphQLRequest, gql
    from gql.client import AsyncClientSession
    from gql.transport.aiohttp import AIOHTTPTransport
    from gql.transport.async_transport import AsyncTransport
    from gql.transport.exceptions import TransportQueryError

    assert issubclass(AIOHTTPTransport, AsyncTransport)
    assert all((Client, GraphQLRequest, gql, AsyncClientSession, TransportQueryError))
