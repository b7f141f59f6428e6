"""Stored webhook events become one targeted pull per channel (sync.targeted_pull).

`drain_channel` is the unit of work: a plain async function taking its collaborators, so the
receiving server calls it from `Debouncer`, and the workers' tick (sync.jobs.periodic) for events
left behind; with a queue, the pull it starts is a job. Events of a channel arriving within the
debounce window share one run. While a run of the channel is going on, the events stay stored
and wait for the next drain: none is lost, none starts a second run.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from db.engine import SessionFactory
from db.enums import SyncDirection
from db.errors import SyncInProgress, UserErrors
from db.models import SyncLog, WebhookEvent
from db.webhook_events import channels_with_pending_events, mark_processed, pending_events
from sync.runner import Runner
from sync.targeted_pull import RemoteTargets

log = logging.getLogger("sigma.webhooks")

DEFAULT_WINDOW = 1.0


def targets_of(events: Sequence[WebhookEvent]) -> RemoteTargets:
    deleted = [e.product_id for e in events if e.topic == "products/delete"]
    changed = [e.product_id for e in events if e.topic != "products/delete"]
    return RemoteTargets(changed=tuple(changed), deleted=tuple(deleted), events=len(events))


async def drain_channel(
    channel_id: str, sessions: SessionFactory, runner: Runner, wait: bool = False
) -> tuple[bool, SyncLog | None]:
    """Start one targeted pull of the channel's stored events.

    Returns (drained, log): drained is False when a run of the channel is going on, so the
    caller tries again later; log is the started run (None when there was nothing to do).
    """
    async with sessions() as session:
        events = await pending_events(session, channel_id)
    if not events:
        return True, None
    try:
        started = await runner.start(
            channel_id, SyncDirection.PULL, targets=targets_of(events), wait=wait
        )
    except SyncInProgress:
        return False, None
    except UserErrors as refused:
        # No token, no schema: the channel cannot pull; the events would wait forever.
        log.warning("webhook events of channel %s dropped: %s", channel_id, refused)
        started = None
    async with sessions() as session:
        await mark_processed(session, [event.id for event in events])
    return True, started


Drain = Callable[[str], Awaitable[bool]]


class Debouncer:
    """Embedded mode: a channel's events gather until `window` seconds pass without a new one
    (at most `max_wait` after the first), then one drain takes them all.

    A drain refused because a run is going on is tried again a window later. An event stored
    while its channel's drain runs marks the channel again, so it is not left behind.
    """

    def __init__(self, drain: Drain, window: float = DEFAULT_WINDOW, max_wait: float = 0) -> None:
        self._drain = drain
        self._window = window
        # A steady stream of edits must not postpone the pull forever.
        self._max_wait = max_wait or 4 * window
        self._timers: dict[str, asyncio.Task[None]] = {}
        self._last: dict[str, float] = {}
        self._marked: set[str] = set()

    def notify(self, channel_id: str) -> None:
        self._marked.add(channel_id)
        self._last[channel_id] = asyncio.get_running_loop().time()
        if channel_id not in self._timers:
            self._timers[channel_id] = asyncio.create_task(self._later(channel_id))

    async def _quiet(self, channel_id: str) -> None:
        loop = asyncio.get_running_loop()
        first = loop.time()
        while True:
            wake = min(self._last[channel_id] + self._window, first + self._max_wait)
            if loop.time() >= wake:
                return
            await asyncio.sleep(wake - loop.time())

    async def _later(self, channel_id: str) -> None:
        try:
            while True:
                await self._quiet(channel_id)
                self._marked.discard(channel_id)
                try:
                    drained = await self._drain(channel_id)
                except Exception:
                    log.exception("draining the webhook events of channel %s failed", channel_id)
                    drained = False
                if drained and channel_id not in self._marked:
                    return
                if not drained:
                    self._last[channel_id] = asyncio.get_running_loop().time()
        finally:
            self._timers.pop(channel_id, None)
            self._last.pop(channel_id, None)

    async def resume(self, sessions: SessionFactory) -> None:
        """At start: events stored before a stop still get their pull."""
        async with sessions() as session:
            for channel_id in await channels_with_pending_events(session):
                self.notify(channel_id)

    def pending(self) -> bool:
        return bool(self._timers)

    async def idle(self) -> None:
        """Wait until no drain is pending (tests, shutdown)."""
        while self._timers:
            await asyncio.gather(*list(self._timers.values()), return_exceptions=True)

    async def close(self) -> None:
        for task in list(self._timers.values()):
            task.cancel()
        await asyncio.gather(*list(self._timers.values()), return_exceptions=True)
