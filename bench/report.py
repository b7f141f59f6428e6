"""The results table (plain-text Markdown, so stdout and the results file are the same text)."""

import os
import platform
import sys
from collections.abc import Sequence
from datetime import UTC, datetime

from bench.measure import Measurement
from bench.micro import MicroResult
from bench.sync_bench import BenchOptions

HEADERS = [
    "scenario",
    "items",
    "wall s",
    "items/s",
    "requests",
    "cost pts",
    "throttled",
    "limiter wait s",
    "CPU s",
    "peak RSS MB",
    "RSS growth MB",
    "bound s",
    "bound/wall",
]
RATIO_CAP = 9.99


def _ratio(result: Measurement) -> str:
    ratio = result.ratio
    if ratio is None:
        return "n/a (within burst)" if result.wall > 0 else "n/a"
    return f">{RATIO_CAP}" if ratio > RATIO_CAP else f"{ratio:.2f}"


def _row(result: Measurement) -> list[str]:
    rate = result.items / result.wall if result.wall > 0 else 0.0
    wait = "-" if result.limiter_wait is None else f"{result.limiter_wait:.1f}"
    name = f"{result.scenario} ({result.note})" if result.note else result.scenario
    return [
        name,
        str(result.items),
        f"{result.wall:.1f}",
        f"{rate:.0f}",
        str(result.requests),
        str(result.cost),
        str(result.throttled),
        wait,
        f"{result.cpu:.1f}",
        f"{result.peak_rss:.0f}",
        f"{max(0.0, result.peak_rss - result.start_rss):.0f}",
        f"{result.bound:.1f}",
        _ratio(result),
    ]


def table(results: Sequence[Measurement]) -> str:
    rows = [HEADERS] + [_row(r) for r in results]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]

    def line(cells: list[str]) -> str:
        padded = [
            c.ljust(w) if i == 0 else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (w + 1) + (":" if i else "-") for i, w in enumerate(widths)) + "|"
    return "\n".join([line(rows[0]), rule, *(line(r) for r in rows[1:])])


def machine() -> str:
    return (
        f"{platform.node() or 'unknown host'}, {platform.system()} {platform.machine()}, "
        f"nproc {os.cpu_count()}, Python {sys.version.split()[0]}"
    )


def report(options: BenchOptions, results: Sequence[Measurement], micro: MicroResult | None) -> str:
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"# Sigma sync benchmark, N={options.n}",
        "",
        f"- Date: {now}",
        f"- Machine: {machine()}",
        f"- Emulator: bucket {options.bucket:g} points, restore rate {options.restore_rate:g}"
        f" points/s (Shopify's 2000 / 100 x scale {options.scale:g}); engine concurrency "
        f"{options.concurrency}; emulator in the same process (shares the CPU with the engine)",
        "",
        table(results),
        "",
    ]
    if micro is not None:
        lines += [
            f"Microbenchmark over {micro.entities} entities: checksum with the push values "
            f"{micro.checksum_us:.1f} µs + productSet input from them {micro.mapping_us:.1f} µs "
            f"= {micro.total_us:.1f} µs of CPU per entity (best of 3).",
            "",
        ]
    lines += [
        "How to read it:",
        "",
        "- requests, cost pts, throttled: deltas of the emulator's own counters (cost pts = actual"
        " cost charged). limiter wait: the client's time waiting for its cost limiter.",
        "- bound s = max(0, cost - bucket) / restore rate, with the *scaled* bucket and rate: the"
        " least time Shopify's leaky bucket allows for that much cost from a full bucket (each"
        " scenario starts with a full bucket). bound/wall = 1.00 means as fast as the cost limit"
        " allows; lower means time went elsewhere (CPU, latency, database). n/a when the cost fits"
        " in one burst, so no bound applies.",
        "- At Shopify's real rate (100 points/s) a cost-bound row takes bound s x scale.",
        "- RSS growth: peak minus the resident memory at the scenario's start, i.e. what the run"
        " added on top of the database, the emulator's store and earlier runs; the engine reads"
        " and writes in batches, so this should not grow with N.",
        "- peak RSS: the process's peak resident memory during the scenario (the kernel's mark is"
        " reset before each one); it includes the in-process emulator and its store.",
        "- (bulk) rows: the engine's bulk paths (a bulk query's JSONL for full reads; staged"
        " uploads and bulkOperationRunMutation for pushes). Their requests count GraphQL calls"
        " only, not the upload and the result download.",
        "- The steady-state re-sync is what a scheduled sync costs when nothing changed; the run"
        " before it is the first sync after a push-only history, which must read the whole"
        " store once (with a bulk query).",
    ]
    return "\n".join(lines) + "\n"
