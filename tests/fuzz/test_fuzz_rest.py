"""Schemathesis against the REST routes, from the OpenAPI description the server publishes:
valid and invalid path segments, query strings and bodies; no 5xx, no canary."""

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.generation import GenerationMode

from graph.openapi import document
from tests.helpers.fuzz_server import CANARY, TOKEN, FuzzServer

pytestmark = pytest.mark.fuzz
REST = schemathesis.openapi.from_dict(document())
REST.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
CI = os.environ.get("CI") == "true"
SCALE = float(os.environ.get("SIGMA_FUZZ_SCALE", "1"))


def test_the_published_description_is_the_one_fuzzed(server: FuzzServer) -> None:
    published = server.client.get("/openapi.json")
    assert published.status_code == 200 and published.json() == document()


@REST.parametrize()
@settings(
    max_examples=max(1, int(200 * SCALE)),
    derandomize=CI,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_schemathesis_rest(server: FuzzServer, case: Any) -> None:
    # Half the cases address the seeded channel, so the routes behind the 404 are reached.
    path_id = str((case.path_parameters or {}).get("id", ""))
    if len(path_id) % 2 == 0 and case.path_parameters is not None:
        case.path_parameters["id"] = server.ids["channel"]
    response = case.call(base_url=server.url, headers={"Authorization": f"Bearer {TOKEN}"})
    server.requests += 1
    text = response.text
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {text[:500]}"
    assert "INTERNAL_ERROR" not in text and CANARY not in text, text[:500]
