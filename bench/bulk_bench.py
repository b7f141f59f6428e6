"""Client-level bulk operations, timed directly through `ShopifyClient` (the engine does not
choose bulk operations yet)."""

from typing import Any

from bench.measure import Measurement, measure
from bench.seeding import attribute_stream
from bench.sync_bench import SHOP, TOKEN, BenchOptions, bench_emulator
from emulator.runner import Emulator
from sync.fields import DEFAULT_MAPPINGS
from sync.mapping import product_set_input
from sync.shopify.bulk import BulkProductSetLine
from sync.shopify.client import ShopifyClient, identity_identifier
from sync.shopify.config import ShopifyConfig

LABEL = "client-level bulk (engine does not use it yet)"


def _config(emu: Emulator) -> ShopifyConfig:
    # Polling starts fast: the emulator finishes small operations in well under a second.
    return ShopifyConfig(
        shop_domain=SHOP, access_token=TOKEN, base_url=emu.base_url, bulk_poll_interval=0.2
    )


def _lines(options: BenchOptions) -> list[BulkProductSetLine]:
    lines: list[BulkProductSetLine] = []
    for n, attributes in enumerate(attribute_stream(options.n, options.seed)):
        entity_id = f"bench-{n:06d}"
        payload = product_set_input(
            attributes, DEFAULT_MAPPINGS, include_identity=True, entity_id=entity_id
        )
        lines.append((identity_identifier(entity_id), payload))
    return lines


async def bulk_pull(options: BenchOptions) -> Measurement:
    async with bench_emulator(options, options.n) as emu:

        async def work() -> tuple[int, dict[str, Any]]:
            count = 0
            async with ShopifyClient(_config(emu)) as client:
                async for _record in client.run_bulk_query():
                    count += 1
            return count, {"limiter_wait": client.limiter.waited}

        result = await measure(f"bulk pull, {LABEL}", emu, work, options.timeout)
    return result


async def bulk_push(options: BenchOptions) -> Measurement:
    lines = _lines(options)
    async with bench_emulator(options, 0) as emu:

        async def work() -> tuple[int, dict[str, Any]]:
            async with ShopifyClient(_config(emu)) as client:
                await client.ensure_identity_definition()
                results = await client.run_bulk_product_set(lines)
            failed = sum(1 for r in results if not r.ok)
            extra: dict[str, Any] = {"limiter_wait": client.limiter.waited, "failed": failed}
            if failed:
                first = next(r for r in results if not r.ok)
                extra["first_error"] = first.error or "; ".join(str(e) for e in first.user_errors)
            return len(results) - failed, extra

        result = await measure(f"bulk productSet, {LABEL}", emu, work, options.timeout)
        if result.extra.get("failed"):
            result.note = (result.note + f" {result.extra['failed']} failed").strip()
    return result


async def bulk_scenarios(options: BenchOptions) -> list[Measurement]:
    return [await bulk_pull(options), await bulk_push(options)]
