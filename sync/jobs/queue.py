"""The API's side of queued runs: one Procrastinate job per RUNNING log."""

import procrastinate

from db.models import SyncLog
from sync.jobs.app import RUN_TASK
from sync.run_request import RunRequest


class ProcrastinateQueue:
    def __init__(self, app: procrastinate.App) -> None:
        self._app = app

    async def enqueue(self, started: SyncLog, request: RunRequest) -> None:
        # lock: one job of a channel executes at a time, even a retried one beside a new one;
        # queueing_lock: at most one waits. The RUNNING log already refuses a second run, these
        # hold the same rule inside the queue.
        task = self._app.configure_task(
            RUN_TASK, lock=started.channel_id, queueing_lock=started.channel_id
        )
        await task.defer_async(log_id=started.id, **request.job_kwargs())
