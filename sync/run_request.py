"""What a run is asked to do beyond its direction, in a form that travels as job arguments.

An in-process run and a queued one read the same request: the API defers it as JSON-able
keyword arguments (sync.jobs.queue), a worker rebuilds it (sync.jobs.tasks), so a webhook's
targeted pull or a reconciliation runs on a worker exactly as a plain push does.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sync.targeted_pull import RemoteTargets


@dataclass(frozen=True)
class RunRequest:
    # a push of these entities only (None: every entity of the channel)
    entity_ids: Sequence[str] | None = None
    # a PULL of these products only (webhooks); RemoteTargets() with reconcile: only reconcile
    targets: RemoteTargets | None = None
    # also compare every mapped product id with the store (remote deletions)
    reconcile: bool = False

    def job_kwargs(self) -> dict[str, Any]:
        targets = self.targets
        return {
            "entity_ids": list(self.entity_ids) if self.entity_ids is not None else None,
            "targets": None
            if targets is None
            else {
                "changed": list(targets.changed),
                "deleted": list(targets.deleted),
                "events": targets.events,
            },
            "reconcile": self.reconcile,
        }


def request_from_job(
    entity_ids: Sequence[str] | None,
    targets: Mapping[str, Any] | None,
    reconcile: bool,
) -> RunRequest:
    """The request a job's arguments describe (jobs deferred before targets travelled carry
    only entity ids)."""
    remote = None
    if targets is not None:
        remote = RemoteTargets(
            changed=tuple(str(t) for t in targets.get("changed", ())),
            deleted=tuple(str(t) for t in targets.get("deleted", ())),
            events=int(targets.get("events", 0)),
        )
    return RunRequest(
        entity_ids=list(entity_ids) if entity_ids is not None else None,
        targets=remote,
        reconcile=bool(reconcile),
    )
