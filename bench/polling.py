"""Polling load test: the API's status polls against plain Strawberry's ceiling, in one run.

    .venv/bin/python -m bench.polling [--seconds 5] [--connections 20 50] [--items 10000]
        [--lag [--stacks]] [--database-url postgresql+asyncpg://...  (emptied first!)]

Both servers run as one uvicorn process each (uvloop, httptools, no access log) on this
machine; wrk (Debian package `wrk`) drives them with the same operation text. The ceiling is
bench.poll_ceiling: Strawberry's own view with ParserCache and ValidationCache, resolvers that
return constants of the same shape. The project serves a seeded SQLite database; in the
"during sync" phase a push of all --items entities to an emulator (a separate process, standing
in for Shopify) runs inside the API process for the whole of every project measurement: a
measurement during which that run ended is discarded, every entity is edited, a new push
started and the measurement repeated. The target (issue 10): at least 70% of the ceiling's
requests/s and a p99 at most 1.5 times the ceiling's. Each row ends with the machine's load
average (1 min). With --lag the API runs under bench.loop_lag, and each row also says how late
the event loop woke during the project's runs (p99 and max, ms) and the full garbage
collections in them (count, ms in all); --stacks adds what held the loop (BENCH_STALL_MS, 20).
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.loop_lag import held_stacks
from bench.seeding import BenchDatabase, edit_entities, open_database, seed_entities
from bench.wrk import Run, median, wrk
from db.clock import utcnow
from db.models import SyncLog

TOKEN = "bench-polling-token-0123456789"
SHOP_TOKEN = "shpat_bench0polling"
LOG_FIELDS = "id status pushed pulled skipped failed startedAt completedAt"
POLLS = {
    "syncLog(id)": f"query($id: ID!) {{ syncLog(id: $id) {{ {LOG_FIELDS} }} }}",
    "syncLogs(first: 1)": (
        f"query($c: ID!) {{ syncLogs(channelId: $c, first: 1) {{ nodes {{ {LOG_FIELDS} }} "
        "pageInfo { hasNextPage endCursor } } }"
    ),
    "channels": "{ channels { id name shopDomain } }",
}
TARGET_RPS, TARGET_P99 = 0.70, 1.5


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _serve(target: str, port: int, env: dict[str, str], factory: bool) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", target, "--port", str(port)]
    command += ["--loop", "uvloop", "--http", "httptools", "--no-access-log"]
    command += ["--log-level", "warning"] + (["--factory"] if factory else [])
    return subprocess.Popen(command, env={**os.environ, **env})


def _wait_for(port: int, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}{path}", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on port {port}")


async def _seed(
    database: str, emulator_url: str, items: int
) -> tuple[BenchDatabase, list[str], str, str]:
    db = await open_database(database, emulator_url)
    channel_id = await db.add_channel("Bench", "bench.myshopify.com", SHOP_TOKEN)
    ids = await seed_entities(db, items)
    async with db.sessions() as session:
        # A history of finished runs, so the polls read an index rather than a tiny table.
        start = utcnow() - timedelta(days=30)
        for n in range(500):
            moment = start + timedelta(hours=n)
            session.add(
                SyncLog(
                    channel_id=channel_id,
                    direction="PUSH",
                    status="SUCCESS",
                    started_at=moment,
                    completed_at=moment + timedelta(minutes=3),
                    pushed=n,
                )
            )
        await session.commit()
    return db, ids, channel_id, db.settings.secret_key


def _body(name: str, channel_id: str, log_id: str) -> str:
    return json.dumps({"query": POLLS[name], "variables": {"id": log_id, "c": channel_id}})


def _verdict(ceiling: Run, project: Run) -> str:
    ok = project.rps >= TARGET_RPS * ceiling.rps and project.p99_ms <= TARGET_P99 * ceiling.p99_ms
    return "meets" if ok and not project.failures else "MISSES"


def _line(label: str, ceiling: Run, project: Run, note: str = "") -> str:
    ratio = project.rps / ceiling.rps
    return (
        f"{label:<34} {ceiling.rps:>7.0f} {ceiling.p50_ms:>6.1f} {ceiling.p99_ms:>6.1f}   "
        f"{project.rps:>7.0f} {project.p50_ms:>6.1f} {project.p99_ms:>6.1f}   "
        f"{ratio:>5.2f} {project.p99_ms / ceiling.p99_ms:>5.2f}  {_verdict(ceiling, project)}"
        f"{note}"
    )


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.workdir = workdir
        self.emulator_port = _free_port()
        self.ceiling_url = f"http://127.0.0.1:{_free_port()}/graphql"
        self.api_port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.api_port}/graphql"
        # One loop for the bench's own database work, so its engine outlives each call.
        self.aio = asyncio.Runner()
        self.sync_id = ""
        self.restarts = 0
        self.lags: list[dict[str, Any]] = []

    def _wrk(self, url: str, body: str, connections: int) -> Run:
        if url != self.api_url or not self.args.lag:
            return wrk(url, body, TOKEN, connections, self.args.seconds, self.workdir)
        self.api.get("/bench/lag")  # starts afresh
        run = wrk(url, body, TOKEN, connections, self.args.seconds, self.workdir)
        self.lags.append(self.api.get("/bench/lag").json())
        return run

    def _lag_note(self) -> str:
        lags, self.lags = self.lags, []
        if not lags:
            return ""
        p99 = max(lag["p99_ms"] for lag in lags)
        worst = max(lag["max_ms"] for lag in lags)
        full = [lag["gc"]["gen2"] for lag in lags]
        count, total = sum(g[0] for g in full), sum(g[1] for g in full)
        note = f"; loop lag p99 {p99:.0f} max {worst:.0f}; full gc {count}x {total:.0f} ms"
        if self.args.stacks:
            note += "".join(f"\n    {n:>4}  {where}" for where, n in held_stacks(lags))
        return note

    def measure(self, body: str, connections: int) -> tuple[Run, Run]:
        """Rounds alternate between the two servers, so both see the same machine load."""
        ceilings, projects = [], []
        for _ in range(self.args.rounds):
            ceilings.append(self._wrk(self.ceiling_url, body, connections))
            projects.append(self._wrk(self.api_url, body, connections))
        return median(ceilings), median(projects)

    def measure_during_sync(
        self, name: str, channel_id: str, connections: int
    ) -> tuple[Run, Run, str]:
        """As measure(), each project round inside one running push of every entity."""
        ceilings, projects, progress = [], [], []
        for _ in range(self.args.rounds):
            body = _body(name, channel_id, self.sync_id or "0" * 32)  # same length as the project's
            ceilings.append(self._wrk(self.ceiling_url, body, connections))
            while True:
                sync_id, before = self._running_push(channel_id)
                run = self._wrk(self.api_url, _body(name, channel_id, sync_id), connections)
                after = self._state(sync_id)
                if after["status"] == "RUNNING":
                    break
                # the run ended within the measurement: not a measurement during a sync
            projects.append(run)
            # The phase says what a run whose count stands still is doing (e.g. reading results).
            phase = self._gql("query($id: ID!) { syncLog(id: $id) { phase } }", {"id": sync_id})
            progress.append(
                f"{before['pushed']}-{after['pushed']} {phase['data']['syncLog']['phase']}"
            )
        return median(ceilings), median(projects), "pushed " + ", ".join(progress)

    def run(self) -> None:
        args = self.args
        emulator_url = f"http://127.0.0.1:{self.emulator_port}"
        database = args.database_url or f"sqlite+aiosqlite:///{self.workdir / 'poll.db'}"
        self.db, self.ids, channel_id, secret_key = self.aio.run(
            _seed(database, emulator_url, args.items)
        )
        env = {
            "SIGMA_DATABASE_URL": database,
            # The sync runs in the API's process, whatever the database.
            "SIGMA_RUN_MODE": "embedded",
            "SIGMA_API_TOKEN": TOKEN,
            "SIGMA_SECRET_KEY": secret_key,
            "SIGMA_SHOPIFY_BASE_URL": emulator_url,
        }
        emulator = subprocess.Popen(
            [sys.executable, "-m", "graph.cli", "emulator", "--port", str(self.emulator_port),
             "--shop", "bench.myshopify.com", "--token", SHOP_TOKEN],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        ceiling_port = int(self.ceiling_url.split(":")[2].split("/")[0])
        servers = [
            _serve("bench.poll_ceiling:app", ceiling_port, {}, factory=False),
            _serve(
                "bench.loop_lag:app" if args.lag else "graph.app:app_from_environment",
                self.api_port,
                env,
                factory=True,
            ),
        ]
        try:
            _wait_for(self.api_port)
            _wait_for(self.emulator_port, "/")
            self.api = httpx.Client(
                base_url=f"http://127.0.0.1:{self.api_port}",
                headers={"Authorization": f"Bearer {TOKEN}"},
                timeout=60,
            )
            self._report(channel_id)
        finally:
            for process in [*servers, emulator]:
                process.terminate()
                process.wait()
            self.aio.close()

    def _gql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        return self.api.post("/graphql", json={"query": query, "variables": variables}).json()

    def _state(self, log_id: str) -> dict[str, Any]:
        state: dict[str, Any] = self._gql(POLLS["syncLog(id)"], {"id": log_id})["data"]["syncLog"]
        return state

    def _running_push(self, channel_id: str) -> tuple[str, dict[str, Any]]:
        """The running push and its state; when the last one ended, every entity is edited (so
        the next push writes all of them) and a new push started."""
        if self.sync_id:
            state = self._state(self.sync_id)
            if state["status"] == "RUNNING":
                return self.sync_id, state
            self.restarts += 1
            self.aio.run(edit_entities(self.db, self.ids, f"#{self.restarts}"))
        started = self._gql(
            f'mutation {{ push(channelId: "{channel_id}") {{ syncLog {{ id status }} }} }}'
        )
        self.sync_id = started["data"]["push"]["syncLog"]["id"]
        return self.sync_id, self._state(self.sync_id)

    def _report(self, channel_id: str) -> None:
        args = self.args
        newest = self._gql(POLLS["syncLogs(first: 1)"], {"c": channel_id})
        log_id = newest["data"]["syncLogs"]["nodes"][0]["id"]
        print(
            f"polling: one process per server, wrk -t2, median of {args.rounds} alternating "
            f"{args.seconds} s runs; requests/s, p50 and p99 in ms\n"
            f"{'':<34} {'ceiling':>21}   {'project':>21}   {'rps':>5} {'p99':>5}\n"
            f"{'poll, connections, phase':<34} {'req/s':>7} {'p50':>6} {'p99':>6}   "
            f"{'req/s':>7} {'p50':>6} {'p99':>6}   {'ratio':>5} {'ratio':>5}",
            flush=True,
        )
        for name in POLLS if "idle" in args.phases else ():
            for connections in args.connections:
                ceiling, project = self.measure(_body(name, channel_id, log_id), connections)
                note = f"  (load {os.getloadavg()[0]:.1f}{self._lag_note()})"
                print(_line(f"{name}, {connections}, idle", ceiling, project, note), flush=True)
        for name in POLLS if "sync" in args.phases else ():
            for connections in args.connections:
                ceiling, project, progress = self.measure_during_sync(name, channel_id, connections)
                note = f"  (load {os.getloadavg()[0]:.1f}; {progress}{self._lag_note()})"
                label = f"{name}, {connections}, during sync"
                print(_line(label, ceiling, project, note), flush=True)
        print(f"pushes of all {args.items} entities started: {self.restarts + 1}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.polling")
    parser.add_argument("--seconds", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, nargs="+", default=[20, 50])
    parser.add_argument("--items", type=int, default=10_000, help="entities the sync pushes")
    parser.add_argument("--lag", action="store_true", help="measure the API's event-loop lag")
    parser.add_argument("--stacks", action="store_true", help="with --lag: what held the loop")
    parser.add_argument("--database-url", help="instead of a new SQLite file; it is emptied")
    parser.add_argument("--phases", nargs="+", default=["idle", "sync"], choices=["idle", "sync"])
    args = parser.parse_args(argv)
    Bench(args, Path(tempfile.mkdtemp(prefix="sigma-polling-"))).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
