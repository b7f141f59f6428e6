"""Abusive GraphQL requests, sent from another process so that the measuring test's own event
loop is not the bottleneck. Each body differs from the last (a trailing comment), so the
server's parse and validation caches do not absorb the cost."""

import json
import time

from tests.helpers.http import sync_client


def abusive_bodies(n: int) -> list[bytes]:
    def gql(query: str) -> bytes:
        return json.dumps({"query": f"{query} # {n}"}).encode()

    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(29))
    return [
        gql("{ channels { " + "id " * 200_000 + "} }"),  # 600 KB of repeated fields
        gql("{ channels { " + "id " * 30_000 + "} }"),  # 90 KB: past the token limit
        gql("{ channels { " + "id " * 149 + "} }"),  # the most fields allowed, one name
        gql("{ ...F0 } " + chain + " fragment F29 on Query { channels { id } }"),
        b'{"query": "{ channels { id } }", "variables": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ]


def abuse(url: str, token: str, seconds: float) -> int:
    """Send abusive bodies back to back for `seconds`; returns how many were answered."""
    sent = 0
    until = time.monotonic() + seconds
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    with sync_client(base_url=url, headers=headers, timeout=30) as client:
        while time.monotonic() < until:
            for body in abusive_bodies(sent):
                response = client.post("/graphql", content=body)
                if response.status_code >= 500:
                    raise AssertionError(response.text[:300])
                sent += 1
    return sent
