"""Auth, credential secrecy and the protective limits, over real HTTP."""

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from db.settings import load_settings
from graph.schema import make_schema
from tests.helpers.http import async_client
from tests.helpers.live import TOKEN, live_server

SECRET_TOKEN = "shpat_do_not_leak_4242"


async def test_requests_without_the_bearer_token_get_401_json(database_url: str) -> None:
    async with live_server(database_url) as api, async_client(base_url=api.url) as anonymous:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
            response = await anonymous.post(
                "/graphql", json={"query": "{ channels { id } }"}, headers=headers
            )
            assert response.status_code == 401
            assert response.json()["error"]["code"] == "UNAUTHENTICATED"
        rest = await anonymous.get("/channels/x/sync-logs")
        assert rest.status_code == 401
        page = await anonymous.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "graphiql" in page.text.lower()
        health = await anonymous.get("/healthz")
        assert health.json() == {"ok": True}
        via_get = await anonymous.get("/graphql", params={"query": "{ channels { id } }"})
        assert "channels" not in via_get.text or via_get.status_code != 200


async def test_access_token_is_encrypted_at_rest_and_never_returned(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'secret.db'}"
    async with live_server(url) as api:
        created = await api.client.post(
            "/graphql",
            json={
                "query": 'mutation($t: String!) { channelCreate(input: {name: "S", '
                'shopDomain: "s.myshopify.com", accessToken: $t}) '
                "{ channel { id hasAccessToken } userErrors { message } } }",
                "variables": {"t": SECRET_TOKEN},
            },
        )
        assert SECRET_TOKEN not in created.text
        channel_id = created.json()["data"]["channelCreate"]["channel"]["id"]
        for path in (f"/channels/{channel_id}/sync-logs", f"/channels/{channel_id}/sync-mappings"):
            assert SECRET_TOKEN not in (await api.client.get(path)).text
        introspect = await api.client.post(
            "/graphql", json={"query": "{ channels { id name shopDomain apiVersion } }"}
        )
        assert SECRET_TOKEN not in introspect.text
    database = make_url(url).database
    assert database is not None
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT * FROM channel").fetchall()
    assert rows and SECRET_TOKEN not in repr(rows)
    assert all(SECRET_TOKEN.encode() not in p.read_bytes() for p in tmp_path.iterdir())


async def test_depth_aliases_page_size_and_body_size_are_limited(database_url: str) -> None:
    async with live_server(database_url) as api:
        deepest = await api.gql("{ entities { nodes { schema { attributes { key } } } } }")
        assert "errors" not in deepest
        aliases = " ".join(f"a{i}: channels {{ id }}" for i in range(40))
        body = await api.gql("{ " + aliases + " }")
        assert body["errors"] and "alias" in body["errors"][0]["message"].lower()
        page = await api.gql("{ entities(first: 251) { totalCount } }")
        assert "between 1 and 250" in page["errors"][0]["message"]
        big = await api.client.post(
            "/graphql",
            content=b'{"query": "' + b"x" * (2 * 1024 * 1024) + b'"}',
            headers={"Content-Type": "application/json"},
        )
        assert big.status_code == 413


def test_fresh_install_generates_and_keeps_the_api_token(tmp_path: Path) -> None:
    first = load_settings({}, cwd=tmp_path)
    assert first.generated_token_file == tmp_path / "sigma.api-token"
    assert len(first.api_token) >= 32
    assert (first.generated_token_file.stat().st_mode & 0o777) == 0o600
    second = load_settings({}, cwd=tmp_path)
    assert second.api_token == first.api_token
    assert second.generated_token_file is None
    assert second.secret_key == first.secret_key
    configured = load_settings({"SIGMA_API_TOKEN": "given"}, cwd=tmp_path)
    assert configured.api_token == "given"


async def test_the_depth_limiter_refuses_deeper_queries() -> None:
    # Our types do not nest beyond 5 levels, so the limit is shown on a lowered copy.
    strict = make_schema(max_depth=3)
    result = await strict.execute("{ entities { nodes { schema { attributes { key } } } } }")
    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message
