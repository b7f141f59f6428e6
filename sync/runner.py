"""Starts runs in the background, one per channel at a time, and keeps their SyncLog current."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Protocol

from db.channels import require_channel
from db.engine import SessionFactory
from db.enums import SyncDirection, SyncStatus
from db.errors import UserError, UserErrorCode, UserErrors
from db.leases import LeaseLost, LeaseToken
from db.models import Channel, Schema, SyncLog
from db.process_owner import ProcessOwner, current_owner
from db.run_handover import CANCELLED, QUEUE_OWNER, QUEUED_LEASE, claim
from db.secret_box import SecretBox
from db.settings import Settings
from db.sync_logs import finish_run, get_log, start_run, wait_finished
from sync.bidirectional import bidirectional
from sync.connection_check import ClientFactory, ConnectionResult, check_connection, shopify_config
from sync.field_rules import parse_field_mappings
from sync.fields import mappings_or_default
from sync.lease import RunLease
from sync.log_context import run_context
from sync.pull import pull
from sync.push import push
from sync.recorder import Recorder
from sync.remote_deletions import reconcile_remote_deletions
from sync.run import Run, RunOptions
from sync.run_request import RunRequest
from sync.shopify.client import ShopifyClient
from sync.shopify.config import ShopifyConfig
from sync.shopify.errors import ShopifyError
from sync.targeted_pull import RemoteTargets, pull_products

log = logging.getLogger("sigma.sync")

DEFAULT_OPTIONS = RunOptions()
# How often `wait: true` reads a queued run's log while a worker executes it.
WAIT_POLL = 0.2
NOT_QUEUED = "the run could not be queued for a worker"
NO_SCHEMA = "the channel has no schemaId: a pull needs a schema to create entities in"


class RunQueue(Protocol):
    """Where queued runs go (sync.jobs.queue.ProcrastinateQueue)."""

    async def enqueue(self, started: SyncLog, request: RunRequest) -> None: ...


class Runner:
    def __init__(
        self,
        sessions: SessionFactory,
        box: SecretBox,
        settings: Settings,
        client_factory: ClientFactory = ShopifyClient,
        options: RunOptions = DEFAULT_OPTIONS,
        connection_test_timeout: float = 15.0,
        queue: RunQueue | None = None,
    ) -> None:
        self._sessions = sessions
        self._box = box
        self._settings = settings
        self._client_factory = client_factory
        self._options = options
        self._connection_test_timeout = connection_test_timeout
        self._tasks: dict[str, asyncio.Task[None]] = {}
        # With a queue, runs are jobs for `sigma worker` processes (sync/jobs).
        self._queue = queue
        self._owner: ProcessOwner = current_owner()
        self._lease = timedelta(seconds=settings.run_lease)

    def _config(self, channel: Channel, field: str) -> ShopifyConfig:
        settings = self._settings
        return shopify_config(
            self._box, settings.shopify_base_url, channel, field, settings.bulk_poll_seconds
        )

    def client_for(self, channel: Channel, field: str) -> ShopifyClient:
        """A client for the channel's store (userErrors on `field` without usable credentials)."""
        return self._client_factory(self._config(channel, field))

    async def test_connection(self, channel_id: str) -> ConnectionResult:
        async with self._sessions() as session:
            channel = await require_channel(session, channel_id)
        config = self._config(channel, "channelId")
        return await check_connection(self._client_factory, config, self._connection_test_timeout)

    async def start(
        self,
        channel_id: str,
        direction: SyncDirection,
        entity_ids: Sequence[str] | None = None,
        wait: bool = False,
        targets: RemoteTargets | None = None,
        reconcile: bool = False,
    ) -> SyncLog:
        """`targets` makes a PULL read only those products (webhooks); `reconcile` makes a
        PULL or sync also compare every mapped product id with the store (remote deletions)."""
        async with self._sessions() as session:
            channel = await require_channel(session, channel_id)
            schema = await session.get(Schema, channel.schema_id) if channel.schema_id else None
        config = self._config(channel, "channelId")
        if direction != SyncDirection.PUSH and schema is None:
            raise UserErrors([UserError(["channelId"], NO_SCHEMA, UserErrorCode.NO_SCHEMA)])
        request = RunRequest(entity_ids, targets, reconcile)
        queued = self._queue is not None
        owner, lease = (QUEUE_OWNER, QUEUED_LEASE) if queued else (self._owner, self._lease)
        async with self._sessions() as session:
            # SyncInProgress (a UserErrors carrying the running log) propagates as is.
            started = await start_run(session, channel_id, direction, owner, lease)
        if queued:
            await self._enqueue(started, request)
            if not wait:
                return started
            return await wait_finished(self._sessions, started.id, WAIT_POLL)
        task = asyncio.create_task(
            self._execute(started, channel, schema, config, direction, request),
            # Every record logged by the run's task and the tasks it starts carries its ids.
            context=run_context(channel_id, started.id),
        )
        self._tasks[started.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(started.id, None))
        if not wait:
            return started
        # wait(): neither cancels the run when this request goes away nor raises its outcome
        await asyncio.wait([task])
        async with self._sessions() as session:
            finished = await get_log(session, started.id)
        assert finished is not None
        return finished

    async def _execute(
        self,
        started: SyncLog,
        channel: Channel,
        schema: Schema | None,
        config: ShopifyConfig,
        direction: SyncDirection,
        request: RunRequest,
    ) -> None:
        log.info("sync run started: %s", direction.value)
        this = asyncio.current_task()
        assert this is not None

        def stop(_: str) -> None:
            # Lost in another task (the heartbeat, a concurrent push): stop the run's awaits.
            # Lost in the run's own task: the LeaseLost being raised stops it.
            if asyncio.current_task() is not this:
                this.cancel()

        lease = RunLease(
            self._sessions, LeaseToken(started.id, started.lease_epoch), self._lease, stop
        )
        recorder = Recorder(lease.sessions, lease.token)
        # A queued run's log already says which worker runs it and which run it continues.
        recorder.details.update(started.details or {})
        heartbeat = asyncio.create_task(lease.keep())
        recorder.start()
        stored, _ = parse_field_mappings(channel.field_mappings)
        status = SyncStatus.SUCCESS
        client = self._client_factory(config)
        client.write_guard = lease.check
        try:
            async with client:
                run = Run(
                    channel=channel,
                    mappings=mappings_or_default(stored),
                    client=client,
                    sessions=lease.sessions,
                    recorder=recorder,
                    schema=schema,
                    options=self._options,
                )
                if direction == SyncDirection.PUSH:
                    await push(run, request.entity_ids)
                elif request.targets is not None:
                    await pull_products(run, request.targets)
                elif direction == SyncDirection.PULL:
                    await pull(run)
                else:
                    await bidirectional(run)
                if request.reconcile and direction != SyncDirection.PUSH:
                    await reconcile_remote_deletions(run)
        except LeaseLost as lost:
            lease.lose(str(lost))  # logs and stops unless the lease already knew
        except ShopifyError as failure:
            status = SyncStatus.FAILED
            recorder.errors.insert(0, {"message": f"the run stopped: {failure}"})
        except asyncio.CancelledError:
            if lease.lost is not None:
                this.uncancel()  # our own stop(), not a server shutdown
            status = SyncStatus.FAILED
            recorder.errors.insert(0, {"message": "the run was cancelled by a server shutdown"})
        except Exception:
            if lease.lost is None:
                log.exception("sync run %s failed", started.id)
            status = SyncStatus.FAILED
            recorder.errors.insert(0, {"message": "the run stopped on an unexpected error"})
        else:
            if recorder.counters["failed"]:
                status = SyncStatus.PARTIAL
        heartbeat.cancel()
        await recorder.stop()
        if lease.lost is not None:
            return  # the log is another process's now: RunLease.lose logged why
        recorder.in_flight = 0
        recorder.details["shopify"] = client.stats.as_dict()
        if client.stats.api_version_served:
            # Shopify fell forward: the run used another schema than the channel names.
            recorder.details["apiVersionServed"] = client.stats.api_version_served
        try:
            async with lease.sessions() as session:
                await finish_run(
                    session,
                    lease.token,
                    status,
                    recorder.counters,
                    recorder.errors,
                    recorder.details,
                    total=recorder.total,
                    bulk_operation_id=recorder.bulk_operation_id,
                )
        except LeaseLost:
            pass  # lost between the run's last write and this one: RunLease.lose logged it
        else:
            log.info(
                "sync run finished: %s (pushed %d, pulled %d, skipped %d, failed %d)",
                status.value,
                *(recorder.counters.get(n, 0) for n in ("pushed", "pulled", "skipped", "failed")),
            )

    async def _enqueue(self, started: SyncLog, request: RunRequest) -> None:
        assert self._queue is not None
        try:
            await self._queue.enqueue(started, request)
        except BaseException:
            # No job will ever run this log: close it now so the channel is not blocked.
            log.exception("could not queue sync run %s", started.id)
            await self._close_failed(LeaseToken(started.id, started.lease_epoch), NOT_QUEUED)
            raise

    async def _close_failed(self, token: LeaseToken, message: str) -> None:
        """Ends a run that never started its work."""
        async with self._sessions() as session:
            await finish_run(session, token, SyncStatus.FAILED, {}, [{"message": message}], {})

    async def execute_queued(self, log_id: str, request: RunRequest, worker: str) -> bool | None:
        """A worker's side: claims the queued log (next lease epoch) and runs it through the
        same fenced execution as an in-process run. None when the log was closed meanwhile;
        True when a shutdown cancelled it (the job is handed back)."""
        async with self._sessions() as session:
            token = await claim(session, log_id, self._owner, self._lease)
            if token is None:
                return None
            started = await get_log(session, log_id)
            assert started is not None
            channel = await session.get(Channel, started.channel_id)
            schema = None
            if channel is not None and channel.schema_id:
                schema = await session.get(Schema, channel.schema_id)
        if channel is None:
            return None
        try:
            config = self._config(channel, "channelId")
        except UserErrors as refused:
            # Checked when the run was asked for; the token changed while it waited.
            await self._close_failed(token, f"the run stopped: {refused}")
            return False
        started.details = {**(started.details or {}), "worker": worker}
        await self._execute(
            started, channel, schema, config, SyncDirection(started.direction), request
        )
        async with self._sessions() as session:
            ended = await get_log(session, log_id)
        errors = (ended.errors or []) if ended is not None else []
        return bool(ended and ended.status == SyncStatus.FAILED and errors) and (
            errors[0].get("message") == CANCELLED
        )

    @property
    def owner(self) -> ProcessOwner:
        """This process, as the lease holder of its runs."""
        return self._owner

    async def shutdown(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)

    def running(self) -> list[str]:
        return list(self._tasks)
