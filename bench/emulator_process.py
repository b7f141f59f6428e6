"""The emulator in a process of its own, so a benchmark reports the engine's CPU and memory
alone. `python -m bench.emulator_process --products N ...` serves until stdin closes and
prints its base URL on the first line."""

import argparse
import asyncio
import contextlib
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

from emulator.clock import Clock
from emulator.runner import run_emulator

# Seeded products look this old once the clock catches up, as in a store synced long ago:
# later runs' pull windows (5 minutes of overlap) do not read them again.
STORE_AGE = timedelta(hours=1)


async def _serve(args: argparse.Namespace) -> None:
    clock = Clock(start=datetime.now(UTC) - STORE_AGE)
    async with run_emulator(
        shop=args.shop,
        token=args.token,
        products=args.products,
        bucket=args.bucket,
        restore_rate=args.restore_rate,
        seed=args.seed,
        clock=clock,
    ) as emu:
        clock.set(datetime.now(UTC))
        print(emu.base_url, flush=True)
        # Serve until the parent closes our stdin (or dies).
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.emulator_process")
    parser.add_argument("--shop", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--products", type=int, default=0)
    parser.add_argument("--bucket", type=float, default=2000.0)
    parser.add_argument("--restore-rate", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=1)
    asyncio.run(_serve(parser.parse_args(argv)))


@contextlib.asynccontextmanager
async def emulator_process(
    shop: str, token: str, products: int, bucket: float, restore_rate: float, seed: int
) -> AsyncIterator[str]:
    """Start the emulator process; yields its base URL once it serves."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.emulator_process",
        *("--shop", shop, "--token", token, "--products", str(products)),
        *("--bucket", str(bucket), "--restore-rate", str(restore_rate), "--seed", str(seed)),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    stdout = process.stdout
    drain: asyncio.Task[None] | None = None
    try:
        line = await stdout.readline()
        if not line:
            raise RuntimeError("the emulator process stopped before serving")

        async def discard() -> None:
            # Anything it prints later must be read, or a full pipe stalls the emulator.
            while await stdout.read(65536):
                pass

        drain = asyncio.create_task(discard())
        yield line.decode().strip()
    finally:
        process.stdin.close()
        try:
            await asyncio.wait_for(process.wait(), 30)
        except TimeoutError:
            process.kill()
            await process.wait()
        if drain is not None:
            drain.cancel()


if __name__ == "__main__":
    main()
