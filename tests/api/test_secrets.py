"""A canary access token sent through every path that can fail never comes back: not in a
response, not in a log line (issue 10: an inline token came back in a validation error)."""

import logging
from pathlib import Path
from typing import Any

import pytest

from graph.limits import parse_checked
from graph.redaction import REDACTED, RedactingFilter, redact, secret_values
from tests.helpers.live import live_server

# Shaped like a Shopify token, and a second one that is not, so that only the per-request
# redaction (not the token-shaped pattern) can hide it.
CANARY = "shpat_c4a7a27c4a7a27c4a7a27c4a7a27c4a7"
PLAIN = "plain-canary-7f3e9d1b"
SECRETS = (CANARY, PLAIN)


def _operations(channel_id: str, secret: str) -> list[tuple[str, dict[str, Any] | None]]:
    inline = f'accessToken: "{secret}"'
    return [
        # valid
        (
            'mutation { channelCreate(input: {name: "A", shopDomain: "a.myshopify.com", '
            f"{inline}}}) {{ channel {{ id hasAccessToken }} userErrors {{ message }} }} }}",
            None,
        ),
        (
            "mutation($t: String) { channelUpdate(id: $c, input: {accessToken: $t})"
            " { channel { id } userErrors { message } } }".replace("$c", f'"{channel_id}"'),
            {"t": secret},
        ),
        # userErrors: unknown channel, token with a space, bad domain next to the token
        (
            f'mutation {{ channelUpdate(id: "nope", input: {{{inline}}}) '
            "{ userErrors { message } } }",
            None,
        ),
        (
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { userErrors { message } } }",
            {"i": {"name": "B", "shopDomain": "[", "accessToken": secret + " x"}},
        ),
        # validation errors: unknown field beside an inline token, a number as the token
        (
            f'mutation {{ channelCreate(input: {{name: "C", {inline}, bogus: 1}})'
            " { userErrors { message } } }",
            None,
        ),
        (
            'mutation { channelCreate(input: {name: "C", accessToken: 12345}) '
            "{ userErrors { message } } }",
            None,
        ),
        # variable coercion: wrong type of the token, unknown field beside it
        (
            'mutation($t: Int) { channelUpdate(id: "x", input: {name: $t}) '
            "{ userErrors { message } } }",
            {"t": secret},
        ),
        (
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { userErrors { message } } }",
            {"i": {"name": "D", "accessToken": secret, "typo": secret}},
        ),
        (
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { userErrors { message } } }",
            {"i": {"name": "D", "accessToken": [secret]}},
        ),
        # syntax errors after the token, inline and as a variable
        (
            f"mutation {{ channelCreate(input: {{{inline}}}) {{ userErrors {{ message }} }} }} }}",
            None,
        ),
        (f'mutation {{ channelCreate(input: {{accessToken: "{secret}" bogus }})', None),
        ("mutation($t: String) { channelCreate(input: {accessToken: $t}) { { } }", {"t": secret}),
        # the token in an argument the schema does not have
        (f'{{ channels(accessToken: "{secret}") {{ id }} }}', None),
        # the webhook secret: saved, refused (a space), beside a validation error
        (
            "mutation($t: String) { channelUpdate(id: $c, input: {webhookSecret: $t})"
            " { channel { id hasWebhookSecret } userErrors { message } } }".replace(
                "$c", f'"{channel_id}"'
            ),
            {"t": secret},
        ),
        (
            "mutation($i: ChannelInput!) { channelCreate(input: $i) { userErrors { message } } }",
            {"i": {"name": "W", "shopDomain": "w.myshopify.com", "webhookSecret": secret + " x"}},
        ),
        (
            f'mutation {{ channelCreate(input: {{name: "C", webhookSecret: "{secret}", bogus: 1}})'
            " { userErrors { message } } }",
            None,
        ),
    ]


async def test_the_canary_token_never_appears_in_responses_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with live_server(f"sqlite+aiosqlite:///{tmp_path / 'canary.db'}") as api:
        created = await api.gql(
            'mutation { channelCreate(input: {name: "S", shopDomain: "s.myshopify.com"}) '
            "{ channel { id } } }"
        )
        channel_id = created["data"]["channelCreate"]["channel"]["id"]
        for secret in SECRETS:
            for query, variables in _operations(channel_id, secret):
                response = await api.client.post(
                    "/graphql", json={"query": query, "variables": variables}
                )
                assert response.status_code < 500, response.text
                assert secret not in response.text, (query, response.text)
                assert secret[6:] not in response.text
            response = await api.client.post(
                f"/channels/{channel_id}/push", json={"accessToken": secret, "wait": "x"}
            )
            assert response.status_code == 422 and secret not in response.text
    leaks = [
        (r.name, r.getMessage())
        for r in caplog.records
        if any(s in r.getMessage() or s in (r.exc_text or "") for s in SECRETS)
    ]
    assert not leaks, leaks


def test_secret_values_are_found_inline_and_in_variables() -> None:
    document = parse_checked(
        'mutation($t: String, $i: ChannelInput!) { a: channelUpdate(id: "1", input: '
        "{accessToken: $t}) { userErrors { message } } b: channelCreate(input: $i) "
        '{ userErrors { message } } c: channelCreate(input: {accessToken: "inline"}) '
        "{ userErrors { message } } }"
    )
    found = secret_values(
        document, {"t": "via-variable", "i": {"webhookSecret": "nested", "name": "n"}}
    )
    assert {"via-variable", "nested", "inline"} <= found
    assert "n" not in found


def test_the_log_filter_masks_shopify_shaped_tokens() -> None:
    assert redact(f"token {CANARY} and shpss_abc123") == f"token {REDACTED} and {REDACTED}"
    record = logging.LogRecord("x", logging.ERROR, __file__, 1, "got %s", (CANARY,), None)
    try:
        raise ValueError(CANARY)
    except ValueError as error:
        record.exc_info = (ValueError, error, error.__traceback__)
    assert RedactingFilter().filter(record)
    assert CANARY not in record.getMessage() and CANARY not in (record.exc_text or "")
