"""Run the emulator in-process: `async with run_emulator(...) as emu:`."""

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache

from aiohttp import web

from emulator.bucket import LeakyBucket
from emulator.bulk import BulkRunner
from emulator.clock import Clock
from emulator.executor import Executor
from emulator.faults import FaultConfig, Faults
from emulator.merchant_seed import DEFAULT_ITEMS, MerchantStore, PimItem, seed_merchant_store
from emulator.resolvers import build_emulator_schema
from emulator.seed import seed_products
from emulator.server import EmulatorState, build_app
from emulator.stats import Stats
from emulator.store import DEFAULT_API_CLIENT_ID, ShopInfo, Store
from emulator.uploads import ROUTES
from emulator.webhooks import WebhookConfig, Webhooks

# Seconds of the emulator's clock a new media stays PROCESSING: Shopify processes media
# asynchronously, so a client must never assume `image` right after a write.
DEFAULT_MEDIA_DELAY = 0.2
MerchantOption = bool | Sequence[PimItem | Mapping[str, str]]


@dataclass
class Emulator:
    """A running emulator: its address, state, counters and fault controls."""

    base_url: str
    state: EmulatorState = field(repr=False)
    bulk: BulkRunner = field(repr=False)

    def graphql_url(self, version: str = "2026-01") -> str:
        return f"{self.base_url}/admin/api/{version}/graphql.json"

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def merchant(self) -> MerchantStore | None:
        return self.state.merchant

    @property
    def stats(self) -> Stats:
        return self.state.stats

    @property
    def faults(self) -> Faults:
        return self.state.faults

    @property
    def bucket(self) -> LeakyBucket:
        return self.state.bucket

    @property
    def clock(self) -> Clock:
        return self.state.store.clock

    @property
    def shop(self) -> str:
        return self.state.store.shop.domain

    @property
    def webhooks(self) -> Webhooks:
        return self.state.webhooks


@cache
def shared_executors() -> dict[bool, Executor]:
    """One executor per schema era for every emulator in the process: what it caches (parsed
    and validated documents) depends on the schema alone, never on a store."""
    return {modern: Executor(build_emulator_schema(modern)) for modern in (False, True)}


def build_state(
    *,
    shop: str,
    token: str,
    products: int,
    bucket: float,
    restore_rate: float,
    seed: int,
    faults: FaultConfig | None,
    clock: Clock | None = None,
    api_client_id: int = DEFAULT_API_CLIENT_ID,
    media_delay: float = DEFAULT_MEDIA_DELAY,
    merchant_store: MerchantOption = False,
    webhooks: WebhookConfig | None = None,
) -> EmulatorState:
    name = shop.split(".")[0].replace("-", " ").title()
    store = Store(
        ShopInfo(name=name, domain=shop),
        clock or Clock(),
        api_client_id=api_client_id,
        media_delay=media_delay,
    )
    if products:
        seed_products(store, products, seed)
    merchant = None
    if merchant_store is not False:
        items = DEFAULT_ITEMS if merchant_store is True else merchant_store
        merchant = seed_merchant_store(store, items)
    return EmulatorState(
        store=store,
        executors=shared_executors(),
        bucket=LeakyBucket(bucket, restore_rate),
        faults=Faults(faults or FaultConfig(), seed),
        token=token,
        webhooks=Webhooks(store, webhooks),
        merchant=merchant,
    )


async def start(
    state: EmulatorState,
    host: str,
    port: int,
    bulk_delay: float = 0.0,
    upload_limit: int | None = None,
) -> tuple[web.AppRunner, BulkRunner]:
    bulk = BulkRunner(
        state.store,
        state.executor,
        lambda: state.base_url,
        bulk_delay,
        seed=state.faults.seed,
        upload_limit=upload_limit,
    )
    state.bulk = bulk
    bulk.webhooks = state.webhooks
    runner = web.AppRunner(build_app(state, ROUTES), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    sockets = getattr(site._server, "sockets", None) or []
    bound_port = sockets[0].getsockname()[1] if sockets else port
    state.base_url = f"http://{host}:{bound_port}"
    return runner, bulk


@asynccontextmanager
async def run_emulator(
    shop: str = "demo.myshopify.com",
    token: str = "shpat_test",
    products: int = 0,
    bucket: float = 2000.0,
    restore_rate: float = 100.0,
    seed: int = 1,
    faults: FaultConfig | None = None,
    port: int = 0,
    host: str = "127.0.0.1",
    bulk_delay: float = 0.0,
    clock: Clock | None = None,
    upload_limit: int | None = None,
    api_client_id: int = DEFAULT_API_CLIENT_ID,
    media_delay: float = DEFAULT_MEDIA_DELAY,
    merchant_store: MerchantOption = False,
    webhooks: WebhookConfig | None = None,
) -> AsyncIterator[Emulator]:
    """`upload_limit`: bytes a staged upload may have, for every version (default: the served
    version's, 20 MB before 2026-01 and 100 MB from it); `api_client_id`: the calling app's id
    (`$app` namespaces); `media_delay`: seconds a new media stays PROCESSING; `merchant_store`:
    True or a list of PIM items (`emulator.merchant_seed.PimItem` or dicts of its fields) to seed
    a merchant's store selling them (`emulator.merchant` says what was made); `webhooks`: the
    app's client secret that signs deliveries, and the retry schedule."""
    state = build_state(
        shop=shop,
        token=token,
        products=products,
        bucket=bucket,
        restore_rate=restore_rate,
        seed=seed,
        faults=faults,
        clock=clock,
        api_client_id=api_client_id,
        media_delay=media_delay,
        merchant_store=merchant_store,
        webhooks=webhooks,
    )
    runner, bulk = await start(state, host, port, bulk_delay, upload_limit)
    try:
        yield Emulator(state.base_url, state, bulk)
    finally:
        await state.webhooks.close()
        for task in list(bulk.tasks):
            task.cancel()
        await runner.cleanup()
        bulk.close()
