"""Generated GraphQL requests against a running server: valid and invalid operations
(hypothesis-graphql, Schemathesis from schema.graphql), corrupted operations and arbitrary
bodies. Every answer must be below 500, carry no unexpected error and never the canary."""

import json
import os
import re
from pathlib import Path
from typing import Any

import graphql
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, mutations, nodes, queries

from tests.helpers.fuzz_server import CANARY, TOKEN, FuzzServer, check

pytestmark = pytest.mark.fuzz
SDL_PATH = Path(__file__).resolve().parents[2] / "schema.graphql"
SDL = SDL_PATH.read_text()
# CI runs a fixed sequence (CI=true); a developer's run explores new ground each time.
CI = os.environ.get("CI") == "true"
SCALE = float(os.environ.get("SIGMA_FUZZ_SCALE", "1"))


def fuzz(examples: int) -> Any:
    return settings(
        max_examples=max(1, int(examples * SCALE)),
        derandomize=CI,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


def _field(name: str, value: Any) -> graphql.ObjectFieldNode:
    return graphql.ObjectFieldNode(name=graphql.NameNode(value=name), value=value)


_JSON_LEAF = st.one_of(
    st.builds(nodes.String, st.text(max_size=20)),
    st.builds(nodes.Int, st.integers(-(2**40), 2**40)),
    st.builds(nodes.Float, st.floats(allow_nan=False, allow_infinity=False)),
    st.builds(nodes.Boolean, st.booleans()),
)
CUSTOM_SCALARS = {
    "JSON": st.recursive(
        _JSON_LEAF,
        lambda inner: st.one_of(
            st.builds(nodes.List, st.lists(inner, max_size=3)),
            st.builds(
                nodes.Object,
                st.lists(
                    st.tuples(st.from_regex(r"[a-z]{1,8}", fullmatch=True), inner), max_size=3
                ).map(lambda pairs: [_field(k, v) for k, v in pairs]),
            ),
        ),
        max_leaves=6,
    ),
    "DateTime": st.sampled_from(["2026-11-30T09:00:00.000Z", "yesterday", ""]).map(nodes.String),
}
_SECRET_LITERAL = re.compile(r'accessToken: "(?:[^"\\]|\\.)*"')


def with_canary(query: str) -> str:
    """Every accessToken literal carries the canary."""
    return _SECRET_LITERAL.sub(f'accessToken: "{CANARY}"', query)


OPERATIONS = st.one_of(
    queries(SDL, custom_scalars=CUSTOM_SCALARS),
    mutations(SDL, custom_scalars=CUSTOM_SCALARS),
    queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE),
    mutations(SDL, custom_scalars=CUSTOM_SCALARS, mode=Mode.NEGATIVE),
)


@fuzz(1000)
@given(operation=OPERATIONS)
def test_generated_operations(server: FuzzServer, operation: str) -> None:
    query = with_canary(operation)
    response = server.client.post("/graphql", json={"query": query})
    check(server, response, query)


@fuzz(400)
@given(operation=OPERATIONS, data=st.data())
def test_corrupted_operations(server: FuzzServer, operation: str, data: st.DataObject) -> None:
    """Valid operations with a cut, an insertion or a repeated slice: syntax errors anywhere."""
    query = with_canary(operation)
    at = data.draw(st.integers(0, len(query)))
    edit = data.draw(st.sampled_from(["cut", "insert", "repeat"]))
    if edit == "cut":
        query = query[:at]
    elif edit == "insert":
        query = query[:at] + data.draw(st.text(max_size=5)) + query[at:]
    else:
        query = query[:at] + query[at : at + 40] * data.draw(st.integers(2, 50)) + query[at:]
    response = server.client.post("/graphql", json={"query": query})
    check(server, response, query)


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@fuzz(1500)
@given(
    body=st.one_of(
        st.binary(max_size=300),
        _JSON.map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries(
            {
                "query": st.sampled_from(
                    [
                        "{ channels { id } }",
                        "query($a: ID!) { channel(id: $a) { id } }",
                        "mutation { x }",
                    ]
                )
                | st.text(max_size=30)
            },
            optional={"variables": _JSON, "operationName": _JSON, "extensions": _JSON},
        ).map(lambda v: json.dumps(v).encode()),
    ),
    content_type=st.sampled_from(
        [
            "application/json",
            "application/json; charset=utf-8",
            "text/plain",
            "application/graphql",
            "multipart/form-data; boundary=x",
            "",
        ]
    ),
    authorised=st.booleans(),
)
def test_arbitrary_bodies(
    server: FuzzServer, body: bytes, content_type: str, authorised: bool
) -> None:
    headers = {"Content-Type": content_type}
    if not authorised:
        headers["Authorization"] = "Bearer wrong"
    response = server.client.post("/graphql", content=body, headers=headers)
    check(server, response, repr(body[:200]))


@fuzz(1200)
@given(
    variables=st.fixed_dictionaries(
        {
            "i": st.fixed_dictionaries(
                {},
                optional={
                    "name": _JSON,
                    "shopDomain": _JSON,
                    "apiVersion": _JSON,
                    "conflictPolicy": _JSON,
                    "deletePolicy": _JSON,
                    "matchBy": _JSON,
                    "catalogIds": _JSON,
                    "fieldMappings": _JSON,
                    "schemaId": _JSON,
                    "typo": _JSON,
                },
            )
        }
    ),
    update=st.booleans(),
)
def test_channel_inputs_with_the_canary_token(
    server: FuzzServer, variables: dict[str, Any], update: bool
) -> None:
    """Arbitrary channel inputs beside the canary token, as a variable: it never comes back."""
    variables["i"]["accessToken"] = CANARY
    if update:
        query = (
            "mutation($i: ChannelInput!, $c: ID!) { channelUpdate(id: $c, input: $i) "
            "{ channel { id } userErrors { field message code } } }"
        )
        variables["c"] = server.ids["channel"]
    else:
        query = (
            "mutation($i: ChannelInput!) { channelCreate(input: $i) "
            "{ channel { id } userErrors { field message code } } }"
        )
    response = server.client.post("/graphql", json={"query": query, "variables": variables})
    check(server, response, json.dumps(variables)[:300])


for _name, _strategy in CUSTOM_SCALARS.items():
    schemathesis.graphql.scalar(_name, _strategy)
GRAPHQL = schemathesis.graphql.from_path(SDL_PATH)


@GRAPHQL.parametrize()
@fuzz(20)
def test_schemathesis_graphql(server: FuzzServer, case: Any) -> None:
    if isinstance(case.body, dict) and isinstance(case.body.get("query"), str):
        case.body["query"] = with_canary(case.body["query"])
    response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"})
    server.requests += 1
    text = response.text
    assert response.status_code < 500, text[:500]
    assert "INTERNAL_ERROR" not in text and CANARY not in text, text[:500]
