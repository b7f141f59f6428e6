"""Queued runs per minute with 1 and with 3 `sigma worker` processes (PostgreSQL + emulator).

`python -m bench.workers_bench --database postgresql+asyncpg://postgres@127.0.0.1/bench_w`
(the database's public schema is dropped and re-created for each setup). 20 channels, each
with its own catalog of --entities products on one emulator store; every round edits every
entity and pushes every channel (enqueued as jobs, as `sigma serve` on PostgreSQL does); the
figure is runs finished per minute once the workers are up. The emulator answers each request
after --latency seconds, standing in for Shopify's round trip.
"""

import argparse
import asyncio
import os
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text

from db.engine import SessionFactory, apply_migrations, create_engine, session_factory
from db.entities import create_entity, update_entity
from db.enums import SyncDirection, SyncStatus
from db.models import Entity, SyncLog
from db.schemas import create_catalog, create_schema
from db.secret_box import SecretBox
from db.settings import RunMode, Settings
from emulator.faults import FaultConfig
from emulator.runner import run_emulator
from sync.channels import ChannelInput, create_channel
from sync.default_schema import DEFAULT_PRODUCT_ATTRIBUTES
from sync.jobs.app import job_app
from sync.jobs.queue import ProcrastinateQueue
from sync.runner import Runner

RESULTS = Path(__file__).with_name("results")
ROOT = Path(__file__).resolve().parents[1]
SHOP = "bench-workers.myshopify.com"
TOKEN = "shpat_bench_workers"


@dataclass
class Figures:
    workers: int
    runs: int
    failed: int
    seconds: float

    @property
    def per_minute(self) -> float:
        return self.runs / self.seconds * 60


async def _reset(url: str) -> None:
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def _seed(
    sessions: SessionFactory, box: SecretBox, channels: int, entities: int
) -> dict[str, list[str]]:
    fleet: dict[str, list[str]] = {}
    async with sessions() as session:
        schema = await create_schema(session, "Product", list(DEFAULT_PRODUCT_ATTRIBUTES))
        for number in range(channels):
            catalog = await create_catalog(session, f"Catalog {number}")
            channel = await create_channel(
                session,
                box,
                ChannelInput(
                    name=f"Store {number}",
                    shop_domain=SHOP,
                    access_token=TOKEN,
                    schema_id=schema.id,
                    catalog_ids=[catalog.id],
                ),
                allow_any_host=True,
            )
            fleet[channel.id] = [
                (
                    await create_entity(
                        session,
                        schema.id,
                        [catalog.id],
                        {"name": f"W {number}-{i}", "sku": f"W-{number}-{i}", "price": "1.00"},
                    )
                ).id
                for i in range(entities)
            ]
    return fleet


async def _workers_ready(sessions: SessionFactory, count: int) -> None:
    while True:
        async with sessions() as session:
            found = await session.execute(text("SELECT count(*) FROM procrastinate_workers"))
            if found.scalar_one() >= count:
                return
        await asyncio.sleep(0.1)


async def _finished(sessions: SessionFactory, log_ids: list[str]) -> list[SyncLog]:
    while True:
        async with sessions() as session:
            logs = [await session.get(SyncLog, i) for i in log_ids]
        done = [log for log in logs if log is not None and log.status != SyncStatus.RUNNING]
        if len(done) == len(log_ids):
            return done
        await asyncio.sleep(0.1)


async def measure(args: argparse.Namespace, workers: int) -> Figures:
    await _reset(args.database)
    engine = create_engine(args.database)
    await apply_migrations(engine)
    sessions = session_factory(engine)
    key = Fernet.generate_key().decode()
    box = SecretBox(key)
    faults = FaultConfig(latency=args.latency)
    async with run_emulator(shop=SHOP, token=TOKEN, faults=faults) as emulator:
        settings = Settings(
            database_url=args.database,
            api_token="bench",
            secret_key=key,
            shopify_base_url=emulator.base_url,
            run_mode=RunMode.QUEUE,
        )
        fleet = await _seed(sessions, box, args.channels, args.entities)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "SIGMA_DATABASE_URL": args.database,
            "SIGMA_SECRET_KEY": key,
            "SIGMA_API_TOKEN": "bench",
            "SIGMA_SHOPIFY_BASE_URL": emulator.base_url,
        }
        command = [sys.executable, "-m", "graph.cli", "worker"]
        command += ["--concurrency", str(args.concurrency)]
        processes = [
            await asyncio.create_subprocess_exec(
                *command, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=sys.stderr
            )
            for _ in range(workers)
        ]
        jobs = job_app(args.database, 4)
        try:
            async with jobs.open_async():
                runner = Runner(sessions, box, settings, queue=ProcrastinateQueue(jobs))
                await _workers_ready(sessions, workers)
                started = time.perf_counter()
                runs = failed = 0
                for round_number in range(args.rounds):
                    async with sessions() as session:
                        for ids in fleet.values():
                            for entity_id in ids:
                                entity = await session.get(Entity, entity_id)
                                assert entity is not None
                                price = f"{round_number + 2}.00"
                                changed = {**entity.attributes, "price": price}
                                await update_entity(session, entity_id, None, changed)
                    logs = [await runner.start(c, SyncDirection.PUSH) for c in fleet]
                    done = await _finished(sessions, [log.id for log in logs])
                    runs += len(done)
                    failed += sum(1 for log in done if log.status != SyncStatus.SUCCESS)
                seconds = time.perf_counter() - started
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await process.wait()
            await engine.dispose()
    return Figures(workers, runs, failed, seconds)


def report(args: argparse.Namespace, figures: list[Figures]) -> str:
    lines = [
        f"# Queued runs per minute, {date.today().isoformat()}",
        "",
        f"{args.channels} channels x {args.entities} entities on one emulator store, "
        f"{args.rounds} rounds (every entity edited, every channel pushed), "
        f"worker --concurrency {args.concurrency}, emulator latency {args.latency} s; "
        f"{os.cpu_count()} CPUs shared with the emulator and PostgreSQL.",
        "",
        "| workers | runs | not SUCCESS | seconds | runs/min |",
        "|---|---|---|---|---|",
    ]
    for f in figures:
        lines.append(
            f"| {f.workers} | {f.runs} | {f.failed} | {f.seconds:.1f} | {f.per_minute:.0f} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workers_bench", description=__doc__)
    parser.add_argument("--database", required=True, help="a PostgreSQL URL (reset each time)")
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--entities", type=int, default=3, help="per channel")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--concurrency", type=int, default=2, help="per worker")
    parser.add_argument("--latency", type=float, default=0.05, help="emulator seconds/request")
    parser.add_argument("--workers", default="1,3", help="worker counts to compare")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    figures = [asyncio.run(measure(args, int(n))) for n in args.workers.split(",")]
    text_report = report(args, figures)
    print(text_report)
    out = args.out or RESULTS / f"{date.today().isoformat()}-workers.md"
    out.write_text(text_report)


if __name__ == "__main__":
    main()
