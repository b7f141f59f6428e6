"""Emulator throughput: `python -m bench.emulator_bench [--products N] [--seconds S]`.

Prints requests/s and products/s for `products(first: 250)` pages (the sync engine's pull query)
and for single `productSet` calls, against a real emulator over HTTP with a large cost bucket.
"""

import argparse
import asyncio
import time
from typing import Any

import aiohttp

from emulator.runner import run_emulator

TOKEN = "shpat_bench"
FLAT = """query($after: String) { products(first: 250, after: $after, sortKey: UPDATED_AT) {
  pageInfo { hasNextPage endCursor }
  nodes { id title handle descriptionHtml vendor productType status tags updatedAt seo { title
    description }
    options { name values } } } }"""
# The sync engine's full product query: nested connections make it cost 2 + 20 x 47 = 942, so
# Shopify's 1000-point single-query limit allows at most 20 products per page.
NESTED = """query($after: String) { products(first: 20, after: $after, sortKey: UPDATED_AT) {
  pageInfo { hasNextPage endCursor }
  nodes { id title handle descriptionHtml vendor productType status tags updatedAt seo { title
    description }
    options { name values }
    variants(first: 20) { nodes { id sku price compareAtPrice barcode selectedOptions { name
      value } } pageInfo { hasNextPage } }
    metafields(first: 10) { nodes { namespace key type value } pageInfo { hasNextPage } }
    media(first: 10) { nodes { ... on MediaImage { image { url } } } pageInfo { hasNextPage } }
  } } }"""
SET = """mutation($identifier: ProductSetIdentifiers, $input: ProductSetInput!) {
  productSet(identifier: $identifier, input: $input, synchronous: true) {
    product { id updatedAt variants(first: 10) { nodes { id sku } } }
    userErrors { field message code } } }"""
DEFINITION = """mutation { metafieldDefinitionCreate(definition: {name: "Entity", namespace:
  "sigma", key: "entity_id",
  type: "single_line_text_field", ownerType: PRODUCT,
  capabilities: {uniqueValues: {enabled: true}}}) { userErrors { code } } }"""


def _input(n: int) -> dict[str, Any]:
    sizes = ["S", "M", "L"]
    return {
        "title": f"Bench product {n}",
        "vendor": "Bench",
        "tags": ["bench"],
        "productOptions": [{"name": "Size", "values": [{"name": s} for s in sizes]}],
        "variants": [
            {
                "optionValues": [{"optionName": "Size", "name": s}],
                "price": "19.99",
                "sku": f"B-{n}-{s}",
            }
            for s in sizes
        ],
        "metafields": [
            {
                "namespace": "sigma",
                "key": "entity_id",
                "type": "single_line_text_field",
                "value": f"E-{n}",
            },
        ],
        "files": [{"originalSource": f"https://cdn.example.com/b{n}.jpg", "contentType": "IMAGE"}],
    }


async def _post(
    session: aiohttp.ClientSession, url: str, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    headers = {"X-Shopify-Access-Token": TOKEN}
    async with session.post(
        url, json={"query": query, "variables": variables}, headers=headers
    ) as response:
        body: dict[str, Any] = await response.json()
        if "errors" in body:
            raise RuntimeError(body["errors"])
        return body


async def bench(products: int, seconds: float, concurrency: int) -> None:
    async with run_emulator(token=TOKEN, products=products, bucket=1e9, restore_rate=1e9) as emu:
        url = emu.graphql_url()
        async with aiohttp.ClientSession() as session:
            for label, query in (
                ("products(first: 250), flat", FLAT),
                ("products(first: 20), nested", NESTED),
            ):
                requests = fetched = 0
                started = time.perf_counter()
                while time.perf_counter() - started < seconds:
                    after = None
                    while time.perf_counter() - started < seconds:
                        body = await _post(session, url, query, {"after": after})
                        page = body["data"]["products"]
                        requests, fetched = requests + 1, fetched + len(page["nodes"])
                        if not page["pageInfo"]["hasNextPage"]:
                            break
                        after = page["pageInfo"]["endCursor"]
                elapsed = time.perf_counter() - started
                print(
                    f"{label:32} {requests / elapsed:8.1f} req/s {fetched / elapsed:9.0f} "
                    f"products/s"
                    f"  ({requests} pages, {products}-product shop)"
                )

            await _post(session, url, DEFINITION, {})
            counter = 0

            async def worker() -> int:
                nonlocal counter
                done = 0
                while time.perf_counter() - started < seconds:
                    counter += 1
                    n = counter
                    identifier = {
                        "customId": {"namespace": "sigma", "key": "entity_id", "value": f"E-{n}"}
                    }
                    body = await _post(
                        session, url, SET, {"identifier": identifier, "input": _input(n)}
                    )
                    assert body["data"]["productSet"]["userErrors"] == []
                    done += 1
                return done

            started = time.perf_counter()
            calls = sum(await asyncio.gather(*(worker() for _ in range(concurrency))))
            elapsed = time.perf_counter() - started
            print(
                f"{'productSet (customId create)':32} {calls / elapsed:8.1f} req/s "
                f"{calls / elapsed:9.0f} products/s"
                f"  ({calls} calls, {concurrency} concurrent, shop grew to "
                f"{len(emu.store.products)} products)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args(argv)
    asyncio.run(bench(args.products, args.seconds, args.concurrency))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
