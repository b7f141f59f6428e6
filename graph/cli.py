"""The `sigma` command line: serve, emulator, demo, sync."""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import Any

from db.settings import Settings, load_settings


def _announce_token(settings: Settings) -> None:
    if settings.generated_token_file is not None:
        print(
            "No SIGMA_API_TOKEN was set: generated one and stored it in "
            f"{settings.generated_token_file} (mode 600).\n"
            f"  API token: {settings.api_token}\n"
            "  Send it as 'Authorization: Bearer <token>'. It is shown only this once.",
            file=sys.stderr,
        )


def serve(host: str, port: int, workers: int = 1, access_log: bool = False) -> int:
    import uvicorn

    from graph.app import create_app
    from graph.logging_setup import log_config, log_format

    try:
        fmt = log_format()
    except ValueError as refused:
        print(f"sigma serve: {refused}", file=sys.stderr)
        return 2
    settings = load_settings()  # generates the token files once, before any worker starts
    _announce_token(settings)
    # uvloop and httptools roughly double what one process serves over asyncio and h11.
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "loop": "uvloop",
        "http": "httptools",
        "log_config": log_config(fmt=fmt),
        "access_log": access_log,
    }
    if workers > 1:
        uvicorn.run("graph.app:app_from_environment", factory=True, workers=workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return 0


def worker(
    concurrency: int,
    heartbeat: float,
    stalled_after: float,
    shutdown_timeout: float,
    tick_seconds: int,
) -> int:
    import logging.config

    from db.settings import RunMode
    from graph.logging_setup import install_redaction, log_config
    from sync.jobs.worker import WorkerOptions, run_worker

    settings = load_settings()
    if settings.run_mode != RunMode.QUEUE:
        print(
            "sigma worker needs the queue: a PostgreSQL SIGMA_DATABASE_URL "
            "(and SIGMA_RUN_MODE unset or 'queue')",
            file=sys.stderr,
        )
        return 2
    logging.config.dictConfig(log_config())
    install_redaction()
    options = WorkerOptions(
        concurrency=concurrency,
        heartbeat=heartbeat,
        stalled_after=stalled_after,
        shutdown_timeout=shutdown_timeout,
        tick_seconds=tick_seconds,
    )
    asyncio.run(run_worker(settings, options))
    return 0


def migrate() -> int:
    from db.engine import create_engine, migrate_database

    settings = load_settings()
    asyncio.run(migrate_database(create_engine(settings.database_url)))
    print("the database is at the newest migration", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="sigma", description="Sigma PIM channel sync")
    commands = parser.add_subparsers(dest="command", required=True)

    serve_parser = commands.add_parser("serve", help="serve the GraphQL API and REST routes")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--workers", type=int, default=1, help="server processes")
    serve_parser.add_argument("--access-log", action="store_true", help="log every request")

    commands.add_parser("emulator", help="run the Shopify Admin API emulator", add_help=False)

    demo_parser = commands.add_parser(
        "demo", help="serve the API with an emulator and sample data already set up"
    )
    demo_parser.add_argument("--host", default="127.0.0.1")
    demo_parser.add_argument("--port", type=int, default=8000)
    demo_parser.add_argument("--emulator-port", type=int, default=8900)

    worker_parser = commands.add_parser(
        "worker", help="execute queued runs (PostgreSQL): any number, on any machine"
    )
    worker_parser.add_argument("--concurrency", type=int, default=4, help="runs at once")
    worker_parser.add_argument(
        "--heartbeat", type=float, default=10.0, help="seconds between worker heartbeats"
    )
    worker_parser.add_argument(
        "--stalled-after",
        type=float,
        default=30.0,
        help="seconds without a heartbeat after which a worker's runs are retried elsewhere",
    )
    worker_parser.add_argument(
        "--shutdown-timeout",
        type=float,
        default=60.0,
        help="on SIGTERM, seconds running runs may take before they are handed back",
    )
    worker_parser.add_argument(
        "--tick-seconds",
        type=int,
        default=5,
        help="how often the fleet looks for due schedules and leftover webhook events "
        "(a divisor of 60)",
    )

    commands.add_parser("migrate", help="bring the database to the newest migration")

    sync_parser = commands.add_parser("sync", help="run one sync of a channel with a progress bar")
    sync_parser.add_argument("channel_id")
    sync_parser.add_argument(
        "--direction", choices=["push", "pull", "bidirectional"], default="bidirectional"
    )

    args, rest = parser.parse_known_args(argv)
    if args.command == "emulator":
        from emulator.cli import main as emulator_main

        return emulator_main(rest)
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    if args.command == "serve":
        return serve(args.host, args.port, args.workers, args.access_log)
    if args.command == "worker":
        if args.concurrency < 1:
            parser.error("--concurrency must be at least 1")
        from sync.jobs.periodic import tick_cron

        try:
            tick_cron(args.tick_seconds)
        except ValueError as refused:
            parser.error(f"--tick-seconds: {refused}")
        return worker(
            args.concurrency,
            args.heartbeat,
            args.stalled_after,
            args.shutdown_timeout,
            args.tick_seconds,
        )
    if args.command == "migrate":
        return migrate()
    if args.command == "demo":
        from graph.demo import run_demo

        return asyncio.run(run_demo(args.host, args.port, args.emulator_port))
    from graph.terminal_sync import run_sync

    return asyncio.run(run_sync(load_settings(), args.channel_id, args.direction))


if __name__ == "__main__":
    raise SystemExit(main())
