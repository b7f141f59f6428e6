"""Issue 10's hostile requests: each gets a clear 4xx (or a userError), never a 5xx, and the
keep-alive connection it came on stays open. One connection carries every request of a test, so
a server that drops it after an error fails the next request."""

import json
import logging
from pathlib import Path
from typing import Any

import pytest

import db.channels
from tests.helpers.live import TOKEN, LiveServer, live_server
from tests.helpers.raw_http import KeepAliveConnection, RawResponse

AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON_HEADERS = {**AUTH, "Content-Type": "application/json"}


async def _post(conn: KeepAliveConnection, body: bytes, **headers: str) -> RawResponse:
    return await conn.request("POST", "/graphql", body, {**JSON_HEADERS, **headers})


def _gql(query: str, variables: dict[str, Any] | None = None) -> bytes:
    return json.dumps({"query": query, "variables": variables}).encode()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'hostile.db'}"


def _error(response: RawResponse) -> str:
    body = response.json()
    if "errors" in body:
        message: str = body["errors"][0]["message"]
        return message
    return str(body["error"]["message"])


MALFORMED_BODIES = [
    # (body, content type, status, words in the message)
    (b'{"query": "\xff\xfe"}', "application/json", 400, "not valid UTF-8"),
    (b"null", "application/json", 400, "must be a JSON object"),
    (b"false", "application/json", 400, "must be a JSON object"),
    (b"1", "application/json", 400, "must be a JSON object"),
    (b"[" * 1000 + b"]" * 1000, "application/json", 400, "nests deeper"),
    (
        b'{"query": "{ channels { id } }", "variables": ' + b'{"a":' * 1000 + b"1" + b"}" * 1001,
        "application/json",
        400,
        "nests deeper",
    ),
    (b'[{"query": "{ channels { id } }"}]', "application/json", 400, "batched"),
    (b'{"query": "{ channels { id } }", "query": "{ x }"}', "application/json", 400, "twice"),
    (
        b'{"query": "query($f: Float) { channels { id } }", "variables": {"f": 1e999}}',
        "application/json",
        400,
        "too large",
    ),
    (
        b'{"query": "{ channels { id } }", "variables": {"f": ' + b"9" * 5000 + b"}}",
        "application/json",
        400,
        "not valid JSON",
    ),
    (
        b'{"query": "{ channels { id } }", "variables": {"f": NaN}}',
        "application/json",
        400,
        "not JSON",
    ),
    (b"", "application/json", 400, "not valid JSON"),
    (b'{"query": 1}', "application/json", 400, "query must be"),
    (b'{"query": "{ channels { id } }", "variables": [1]}', "application/json", 400, "variables"),
    (
        b'{"query": "{ channels { id } }", "operationName": 5}',
        "application/json",
        400,
        "operationName",
    ),
    (b'{"query": "{ channels { id } }"}', "text/plain", 415, "Content-Type"),
    (b'{"query": "{ channels { id } }"}', "application/json; charset=latin-1", 415, "UTF-8"),
    (b"query=%7Bchannels%7Bid%7D%7D", "application/x-www-form-urlencoded", 415, "Content-Type"),
    (b'{"query": "{ channel(id: \\"\\\\u0000\\") { id } }"}', "application/json", 200, "NUL"),
    (
        b'{"query": "{ channel(id: $i) { id } }", "variables": {"i": "a\\u0000"}}',
        "application/json",
        400,
        "NUL",
    ),
    (
        b'{"query": "{ channel(id: $i) { id } }", "variables": {"i": "\\ud800"}}',
        "application/json",
        400,
        "unpaired surrogate",
    ),
]


@pytest.mark.parametrize("body,content_type,status,words", MALFORMED_BODIES)
async def test_malformed_graphql_requests_get_a_clear_4xx(
    sqlite_url: str, body: bytes, content_type: str, status: int, words: str
) -> None:
    async with live_server(sqlite_url) as api:
        conn = await KeepAliveConnection.open(api.url)
        response = await _post(conn, body, **{"Content-Type": content_type})
        assert response.status == status, response.body
        assert words in _error(response)
        assert response.headers["x-request-id"]
        # The same connection still answers.
        after = await _post(conn, _gql("{ channels { id } }"))
        assert after.status == 200 and after.json() == {"data": {"channels": []}}
        await conn.close()


async def _channel(api: LiveServer) -> str:
    created = await api.gql(
        'mutation { channelCreate(input: {name: "S", shopDomain: "s.myshopify.com"}) '
        "{ channel { id } userErrors { message } } }"
    )
    channel_id: str = created["data"]["channelCreate"]["channel"]["id"]
    return channel_id


async def test_graphql_inputs_a_database_refuses_or_code_crashed_on(database_url: str) -> None:
    """NUL bytes, huge numbers, null enums, odd domains and cursors: the same on both databases."""
    async with live_server(database_url) as api:
        channel_id = await _channel(api)
        conn = await KeepAliveConnection.open(api.url)
        cases: list[tuple[str, dict[str, Any] | None, str]] = [
            (
                'mutation { catalogCreate(input: {name: "a\\u0000b"}) { catalog { id } } }',
                None,
                "NUL",
            ),
            (
                "mutation($n: String!) { catalogCreate(input: {name: $n}) { catalog { id } } }",
                {"n": "a\u0000b"},
                "NUL",
            ),
            (
                "{ entities(first: 99999999999999999999999) { totalCount } }",
                None,
                "32-bit signed integer",
            ),
            (
                "query($f: Int) { entities(first: $f) { totalCount } }",
                {"f": 10**30},
                "32-bit signed integer",
            ),
            ("{ entities(first: -1) { totalCount } }", None, "between 1 and 250"),
            (
                '{ syncLogs(channelId: "' + channel_id + '", after: "AA") { totalCount } }',
                None,
                "not a valid cursor",
            ),
        ]
        for query, variables, words in cases:
            response = await _post(conn, _gql(query, variables))
            assert response.status in (200, 400), response.body
            body = response.json()
            assert body.get("data") in (None, {}) or body["data"].get("catalog") is None
            assert words in body["errors"][0]["message"], body
            assert "Unexpected error" not in response.body.decode()
        user_error_cases = [
            ("conflictPolicy: null", ["conflictPolicy"], "cannot be null"),
            ("deletePolicy: null", ["deletePolicy"], "cannot be null"),
            ('shopDomain: "["', ["shopDomain"], "is not a Shopify shop"),
            ('shopDomain: "http://[::1"', ["shopDomain"], "is not a Shopify shop"),
        ]
        for fields, field, words in user_error_cases:
            query = (
                f'mutation {{ channelUpdate(id: "{channel_id}", input: {{{fields}}}) '
                "{ channel { id } userErrors { field message code } } }"
            )
            response = await _post(conn, _gql(query))
            assert response.status == 200, response.body
            errors = response.json()["data"]["channelUpdate"]["userErrors"]
            assert errors[0]["field"] == field and words in errors[0]["message"], errors
        await conn.close()


async def test_rest_routes_refuse_bad_segments_queries_and_bodies(database_url: str) -> None:
    async with live_server(database_url) as api:
        channel_id = await _channel(api)
        conn = await KeepAliveConnection.open(api.url)
        base = f"/channels/{channel_id}"
        gets = [
            (f"{base}/sync-logs?limit=%C2%B2", 422, "limit"),
            (f"{base}/sync-logs?limit=-1", 422, "limit"),
            (f"{base}/sync-logs?limit=99999999999999999999", 422, "limit"),
            (f"{base}/sync-mappings?after=%00", 422, "cursor"),
            (f"{base}/sync-logs?after=AA", 422, "cursor"),
            ("/channels/%00/sync-logs", 422, "NUL"),
            ("/channels/%ED%A0%80/sync-logs", 404, "does not exist"),
            ("/channels/%FF/sync-logs", 404, "does not exist"),
        ]
        for path, status, words in gets:
            response = await conn.request("GET", path, headers=AUTH)
            assert response.status == status, (path, response.body)
            assert words in _error(response)
        posts = [
            (b"\xff", 422, "UTF-8"),
            (b"[" * 1000 + b"]" * 1000, 422, "nests deeper"),
            (b"null", 422, "JSON object"),
            (b"1", 422, "JSON object"),
            (b'{"wait": true, "wait": false}', 422, "twice"),
            (b'{"entityIds": ["a\\u0000"]}', 422, "NUL"),
            (b'{"wait": 1}', 422, "wait"),
        ]
        for body, status, words in posts:
            response = await conn.request("POST", f"{base}/push", body, JSON_HEADERS)
            assert response.status == status, (body[:20], response.body)
            assert words in _error(response)
        await conn.close()


async def test_oversized_and_recursive_operations_are_refused_clearly(sqlite_url: str) -> None:
    async with live_server(sqlite_url) as api:
        conn = await KeepAliveConnection.open(api.url)
        chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(300))
        operations = [
            ("{ ...F0 } " + chain + " fragment F300 on Query { channels { id } }", "more than"),
            (
                "{ ...F0 } "
                + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(40))
                + " fragment F40 on Query { channels { id } }",
                "more than 30 fragments",
            ),
            ("{ channels { " + "id " * 20_000 + "} }", "more than 1500 tokens"),
            ("{ channels { " + "id " * 200_000 + "} }", "longer than 100000 characters"),
            ("{ channels { " + "id " * 400 + "} }", "more than 150 fields"),
            ("{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }", "within itself"),
        ]
        for query, words in operations:
            response = await _post(conn, _gql(query))
            assert response.status == 200, response.body
            message = response.json()["errors"][0]["message"]
            assert words in message and "recursion" not in message, message
        strict = await _post(
            conn, _gql(operations[2][0]), Accept="application/graphql-response+json"
        )
        assert strict.status == 400
        await conn.close()


async def test_unexpected_errors_are_masked_and_logged_once_with_the_request_id(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sigma")

    async def broken(*_: Any) -> Any:
        raise RuntimeError("internal detail the caller must not see")

    async with live_server(sqlite_url) as api:
        conn = await KeepAliveConnection.open(api.url)
        monkeypatch.setattr(db.channels, "get_channel", broken)
        graphql = await _post(conn, _gql('{ channel(id: "x") { id } }'))
        rest = await conn.request("GET", "/channels/x/sync-logs", headers=AUTH)
        monkeypatch.undo()
        user = await _post(conn, _gql("{ entities(first: -1) { totalCount } }"))
        fine = await _post(conn, _gql("{ channels { id } }"))
        await conn.close()
    assert fine.status == 200 and fine.json() == {"data": {"channels": []}}

    error = graphql.json()["errors"][0]
    assert graphql.status == 200 and error["message"] == "Unexpected error."
    assert error["extensions"]["requestId"] == graphql.headers["x-request-id"]
    assert rest.status == 500
    assert rest.json()["error"]["requestId"] == rest.headers["x-request-id"]
    for response in (graphql, rest):
        assert b"internal detail" not in response.body
        rid = response.headers["x-request-id"]
        mine = [r for r in caplog.records if rid in r.getMessage()]
        assert len(mine) == 1 and mine[0].levelno == logging.ERROR and mine[0].exc_info

    rid = user.headers["x-request-id"]
    lines = [r for r in caplog.records if rid in r.getMessage()]
    assert len(lines) == 1 and lines[0].levelno == logging.INFO and not lines[0].exc_info
    assert "first must be between 1 and 250" in lines[0].getMessage()
