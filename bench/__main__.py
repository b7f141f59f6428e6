"""`python -m bench [--n 10000] [--scale X] [--out FILE]`: the sync engine benchmark.
`python -m bench --steady 10000,100000`: no-change and 1%-changed syncs at each size (bench.steady).

Seeds N entities in a temporary SQLite database, runs push/sync/pull scenarios against an
in-process emulator with Shopify's cost rules (bucket and restore rate multiplied by --scale,
so a run takes minutes instead of hours), and prints a table that is also written to --out.
"""

import argparse
import asyncio
import logging
from datetime import date
from pathlib import Path

from bench.measure import Measurement
from bench.micro import mapping_and_checksum
from bench.report import report
from bench.steady import steady_report, steady_rows
from bench.sync_bench import BenchOptions, engine_scenarios

RESULTS = Path(__file__).with_name("results")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--n", type=int, default=10_000, help="entities / products (10000)")
    parser.add_argument(
        "--scale",
        type=float,
        default=20.0,
        help="multiplies Shopify's 2000-point bucket and 100 points/s restore rate (20)",
    )
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds per scenario")
    parser.add_argument("--concurrency", type=int, default=16, help="engine concurrency (16)")
    parser.add_argument(
        "--only", choices=["push", "bulk-push", "pull"], help="run one group of scenarios"
    )
    parser.add_argument(
        "--skip-paged-pull", action="store_true", help="leave out the paged initial pull"
    )
    parser.add_argument("--out", type=Path, help="results file (bench/results/DATE-nN.md)")
    parser.add_argument(
        "--steady",
        type=lambda text: [int(n) for n in text.split(",")],
        help="sizes, e.g. 10000,100000: only the steady-state rows (emulator in its own process)",
    )
    parser.add_argument(
        "--micro", action="store_true", help="only the mapping + checksum microbenchmark"
    )
    parser.add_argument(
        "--steady-no-push", action="store_true", help="leave the first push out of --steady"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.steady:
        return _steady(args)
    if args.micro:
        micro = mapping_and_checksum(10_000)
        print(
            f"mapping + checksum, {micro.entities} entities, CPU µs per entity (best of 3): "
            f"checksum (push_values_and_checksum) {micro.checksum_us:.1f} + productSet input "
            f"from its values {micro.mapping_us:.1f}"
            f" = {micro.total_us:.1f}"
        )
        return 0
    options = BenchOptions(
        n=args.n,
        scale=args.scale,
        timeout=args.timeout,
        concurrency=args.concurrency,
        only=args.only,
        skip_paged_pull=args.skip_paged_pull,
    )
    print(
        f"Sigma sync benchmark: N={options.n}, bucket {options.bucket:g}, "
        f"restore {options.restore_rate:g}/s",
        flush=True,
    )
    print("  microbenchmark: mapping + checksum ...", flush=True)
    micro = mapping_and_checksum(min(10_000, max(options.n, 1000)))
    results: list[Measurement] = asyncio.run(engine_scenarios(options))
    text = report(options, results, micro)
    out: Path = args.out or RESULTS / f"{date.today().isoformat()}-n{options.n}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print()
    print(text)
    print(f"written to {out}")
    return 0


def _steady(args: argparse.Namespace) -> int:
    sizes: list[int] = args.steady
    label = "-".join(str(n) for n in sizes)
    out: Path = args.out or RESULTS / f"{date.today().isoformat()}-steady-{label}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    rows = asyncio.run(steady_rows(sizes, push=not args.steady_no_push, out=out))
    text = steady_report(rows, sizes)
    out.write_text(text)
    print()
    print(text)
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
