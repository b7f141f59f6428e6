"""`sigma sync`: one run from the terminal, with a live progress bar and a summary."""

import asyncio

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from db.channels import get_channel
from db.engine import apply_migrations, create_engine, session_factory
from db.entities import count_entities
from db.enums import SyncDirection, SyncStatus
from db.errors import UserErrors
from db.models import SyncLog
from db.secret_box import SecretBox
from db.settings import Settings
from db.sync_logs import get_log
from sync.runner import Runner

POLL_SECONDS = 0.2


def _summary(log: SyncLog) -> Table:
    table = Table(title=f"Sync {log.id}: {log.status.lower()}")
    for column in ("direction", "pushed", "pulled", "skipped", "failed", "seconds"):
        table.add_column(column, justify="right")
    seconds = (log.completed_at - log.started_at).total_seconds() if log.completed_at else 0.0
    table.add_row(
        log.direction.lower(),
        str(log.pushed),
        str(log.pulled),
        str(log.skipped),
        str(log.failed),
        f"{seconds:.1f}",
    )
    return table


async def run_sync(settings: Settings, channel_id: str, direction: str) -> int:
    console = Console()
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    await apply_migrations(engine)
    runner = Runner(sessions, SecretBox(settings.secret_key), settings)
    try:
        try:
            log = await runner.start(channel_id, SyncDirection(direction.upper()))
        except UserErrors as failure:
            for error in failure.errors:
                console.print(f"[red]{error.code}[/red]: {error.message}")
            return 2
        total = None
        if log.direction != SyncDirection.PULL.value:
            async with sessions() as session:
                channel = await get_channel(session, channel_id)
                if channel is not None:
                    total = await count_entities(session, channel.schema_id, channel.catalog_ids)
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
        ) as progress:
            task = progress.add_task(f"{direction}", total=total)
            while True:
                await asyncio.sleep(POLL_SECONDS)
                async with sessions() as session:
                    current = await get_log(session, log.id)
                assert current is not None
                done = current.pushed + current.pulled + current.skipped + current.failed
                progress.update(
                    task,
                    completed=done,
                    # the run's own total once it knows it (e.g. a bulk pull's product count)
                    total=current.total if current.total is not None else total,
                    description=f"{direction} ({current.phase.lower().replace('_', ' ')}): "
                    f"{current.pushed} pushed, {current.pulled} pulled, "
                    f"{current.skipped} skipped, {current.failed} failed",
                )
                if current.status != SyncStatus.RUNNING.value:
                    break
        console.print(_summary(current))
        for item in current.errors[:20]:
            console.print(f"  [red]error[/red] {item}")
        if len(current.errors) > 20:
            console.print(f"  ... and {len(current.errors) - 20} more errors in the sync log")
        return 0 if current.status == SyncStatus.SUCCESS.value else 1
    finally:
        await runner.shutdown()
        await engine.dispose()
