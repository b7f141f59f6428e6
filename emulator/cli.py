"""`sigma emulator`: serve a Shopify Admin API emulator until Ctrl-C."""

import argparse
import asyncio
import contextlib

from emulator import versions
from emulator.faults import FaultConfig
from emulator.runner import build_state, start
from emulator.webhooks import DEFAULT_CLIENT_SECRET, WebhookConfig


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="sigma emulator", description="Shopify Admin GraphQL API emulator"
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8900)
    parser.add_argument("--shop", default="demo.myshopify.com", help="NAME.myshopify.com")
    parser.add_argument(
        "--token", default="shpat_emulator", help="the access token clients must send"
    )
    parser.add_argument("--products", type=int, default=0, help="seed N generated products")
    parser.add_argument(
        "--restore-rate", type=float, default=100.0, help="cost points restored per second"
    )
    parser.add_argument(
        "--bucket", type=float, default=2000.0, help="cost bucket size (maximumAvailable)"
    )
    parser.add_argument(
        "--fault-rate", type=float, default=0.0, help="share of requests answered 500/502/503"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--client-secret",
        default=DEFAULT_CLIENT_SECRET,
        help="the app's client secret, which signs webhook deliveries",
    )
    parser.add_argument(
        "--merchant-store",
        action="store_true",
        help="seed a merchant's store: products with other apps' metafields, merchant-added "
        "variants with stock and uploaded images, selling the sample PIM items by SKU",
    )
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    state = build_state(
        shop=args.shop,
        token=args.token,
        products=args.products,
        bucket=args.bucket,
        restore_rate=args.restore_rate,
        seed=args.seed,
        faults=FaultConfig(error_rate=args.fault_rate),
        merchant_store=args.merchant_store,
        webhooks=WebhookConfig(client_secret=args.client_secret),
    )
    runner, _ = await start(state, args.host, args.port)
    print(f"Shopify emulator for {args.shop} on {state.base_url}")
    newest = versions.newest_stable(state.store.clock.moment())
    print(f"  GraphQL:  {state.base_url}/admin/api/{newest}/graphql.json")
    print("  Header:   X-Shopify-Access-Token: <the --token value>")
    print(
        f"  Products: {len(state.store.products)}; bucket {args.bucket:g} / "
        f"{args.restore_rate:g} per s"
    )
    print(f"  Use it:   SIGMA_SHOPIFY_BASE_URL={state.base_url}   (Ctrl-C to stop)")
    try:
        await asyncio.Event().wait()
    finally:
        await state.webhooks.close()
        await runner.cleanup()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve(args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
