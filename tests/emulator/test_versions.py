"""API versions: support windows, fall-forward, the served-version header, introspection."""

from datetime import UTC, datetime

import aiohttp
import pytest
from gql import Client
from gql.transport.aiohttp import AIOHTTPTransport
from graphql import get_introspection_query

from emulator import versions
from emulator.runner import Emulator
from tests.helpers.emulator_calls import TOKEN, Call

TODAY = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_release_dates_and_twelve_month_support() -> None:
    assert versions.release("2026-10") == datetime(2026, 10, 1, 17, tzinfo=UTC)
    assert versions.supported(TODAY) == ["2026-01", "2026-04", "2026-07", "2026-10"]
    assert versions.release_candidate(TODAY) == "2027-01"
    assert versions.support_ends("2026-01") == datetime(2027, 1, 1, 17, tzinfo=UTC)
    # 2025-10 is retired on 2026-10-01 at 17:00 UTC, when 2026-10 is released.
    assert "2025-10" in versions.supported(datetime(2026, 10, 1, 16, 59, tzinfo=UTC))
    assert "2025-10" not in versions.supported(datetime(2026, 10, 1, 17, tzinfo=UTC))
    with pytest.raises(ValueError, match="2026-02"):
        versions.release("2026-02")


def test_serve_falls_forward_to_the_oldest_supported_version() -> None:
    for requested in ("2025-10", "2024-01", "2030-01", "garbage", ""):
        served = versions.serve(requested, TODAY)
        assert served.handle == "2026-01" and served.fell_forward, requested
    assert versions.serve("2026-07", TODAY).handle == "2026-07"
    assert versions.serve("2027-01", TODAY).handle == "2027-01"  # release candidate
    unstable = versions.serve("unstable", TODAY)
    assert unstable.handle == "unstable" and not unstable.fell_forward
    assert unstable.at_least("2027-01") and not versions.serve("2025-10", TODAY).at_least("2026-04")


async def _header(emu: Emulator, session: aiohttp.ClientSession, version: str) -> str:
    headers = {"X-Shopify-Access-Token": TOKEN}
    url = emu.graphql_url(version)
    async with session.post(url, json={"query": "{ shop { name } }"}, headers=headers) as reply:
        assert reply.status == 200
        return reply.headers["X-Shopify-API-Version"]


async def test_the_header_names_the_version_served(
    emu: Emulator, session: aiohttp.ClientSession
) -> None:
    emu.clock.set(TODAY)
    assert await _header(emu, session, "2026-10") == "2026-10"
    assert await _header(emu, session, "unstable") == "unstable"
    assert await _header(emu, session, "2025-10") == "2026-01"  # retired: falls forward
    emu.clock.set(datetime(2025, 12, 1, tzinfo=UTC))
    assert await _header(emu, session, "2025-10") == "2025-10"  # still supported then


async def test_version_specific_schema(emu: Emulator, gql: Call) -> None:
    emu.clock.set(datetime(2025, 12, 1, tzinfo=UTC))
    query = "{ bulkOperations(first: 5) { nodes { id } } }"
    _, body = await gql(query, version="2025-10")
    assert body["errors"][0]["extensions"]["code"] == "undefinedField"
    _, body = await gql(query, version="2026-01")
    assert body["data"] == {"bulkOperations": {"nodes": []}}


async def test_standard_introspection_query(gql: Call) -> None:
    status, body = await gql(get_introspection_query(descriptions=True))
    assert status == 200 and "errors" not in body
    schema = body["data"]["__schema"]
    assert schema["queryType"]["name"] == "QueryRoot"
    types = {t["name"]: t for t in schema["types"]}
    mutation = {f["name"]: f for f in types["Mutation"]["fields"]}
    group = next(
        a for a in mutation["bulkOperationRunQuery"]["args"] if a["name"] == "groupObjects"
    )
    assert group["defaultValue"] == "false"  # 2026-01's default
    assert body["extensions"]["cost"]["requestedQueryCost"] == 0


async def test_gql_fetches_the_schema_over_http(emu: Emulator) -> None:
    transport = AIOHTTPTransport(
        url=emu.graphql_url("2025-10"), headers={"X-Shopify-Access-Token": TOKEN}
    )
    async with Client(transport=transport, fetch_schema_from_transport=True) as session:
        assert session.client.schema is not None
        query_root = session.client.schema.query_type
        assert query_root is not None and "products" in query_root.fields
