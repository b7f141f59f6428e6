"""Which run a log record belongs to. A run's task sets the channel and log ids in a context
variable; RunContextFilter copies them onto every record logged from that task (and the tasks it
starts), so any module's log lines carry them without passing them around."""

import logging
from contextvars import Context, ContextVar, copy_context

_RUN: ContextVar[tuple[str, str] | None] = ContextVar("sigma_run", default=None)
# The record attributes a formatter may show, in order.
FIELDS = ("channel_id", "log_id", "request_id")


def run_context(channel_id: str, log_id: str) -> Context:
    """A copy of the current context with the run's ids, for asyncio.create_task(context=)."""
    context = copy_context()
    context.run(_RUN.set, (channel_id, log_id))
    return context


class RunContextFilter(logging.Filter):
    """Adds channel_id and log_id to records made inside a run (ids given in `extra` win)."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = _RUN.get()
        if current is not None:
            if not hasattr(record, "channel_id"):
                record.channel_id = current[0]
            if not hasattr(record, "log_id"):
                record.log_id = current[1]
        return True
