"""`python -m bench.search_probe 10000,100000`: what the emulator spends answering a sync's
no-change query (`products(query: "updated_at:>='…'")`, nothing matches) at several store sizes.

The steady bench's no-change row is the engine's work plus this answer; this isolates the
emulator's part (CPU seconds of the emulator, in process, over real HTTP), median of 5.
"""

import asyncio
import statistics
import sys
import time

import aiohttp

from emulator.runner import run_emulator

QUERY = "{ products(first: 250, query: \"updated_at:>='2099-01-01T00:00:00Z'\") { nodes { id } } }"
TOKEN = "shpat_search_probe"


async def probe(size: int, repeats: int = 5) -> tuple[float, float]:
    """(median CPU s, median wall s) per no-change query on a store of `size` products."""
    async with (
        run_emulator(
            shop="probe.myshopify.com", token=TOKEN, products=size, seed=1, bucket=1e9
        ) as emu,
        aiohttp.ClientSession() as session,
    ):
        url = f"{emu.base_url}/admin/api/2025-10/graphql.json"
        headers = {"X-Shopify-Access-Token": TOKEN}
        cpus, walls = [], []
        for _ in range(repeats + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            async with session.post(url, json={"query": QUERY}, headers=headers) as response:
                body = await response.json()
            assert body["data"]["products"]["nodes"] == [], body
            cpus.append(time.process_time() - cpu)
            walls.append(time.perf_counter() - wall)
        # the first answer warms caches (schema, cost rules) and is left out
        return statistics.median(cpus[1:]), statistics.median(walls[1:])


def main(argv: list[str]) -> None:
    sizes = [int(n) for n in (argv[0] if argv else "10000,100000").split(",")]
    for size in sizes:
        cpu, wall = asyncio.run(probe(size))
        print(
            f"N={size}: no-change query {cpu * 1000:.1f} ms emulator CPU, {wall * 1000:.1f} ms wall"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
