"""A run's request survives the trip through a job's JSON arguments unchanged."""

import json

from sync.run_request import RunRequest, request_from_job
from sync.targeted_pull import RemoteTargets


def _round_trip(request: RunRequest) -> RunRequest:
    kwargs = json.loads(json.dumps(request.job_kwargs()))
    return request_from_job(kwargs["entity_ids"], kwargs["targets"], kwargs["reconcile"])


def test_every_kind_of_request_round_trips() -> None:
    for request in (
        RunRequest(),
        RunRequest(entity_ids=["e1", "e2"]),
        RunRequest(targets=RemoteTargets(changed=("gid://shopify/Product/1",), events=3)),
        RunRequest(targets=RemoteTargets(deleted=("gid://shopify/Product/2",)), reconcile=True),
        RunRequest(targets=RemoteTargets(), reconcile=True),
    ):
        assert _round_trip(request) == request


def test_a_job_deferred_before_targets_travelled_reads_as_a_plain_run() -> None:
    assert request_from_job(["e1"], None, False) == RunRequest(entity_ids=["e1"])
