"""The client against the project's Shopify emulator over real HTTP (skipped until it exists)."""

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from sync.shopify import ShopifyClient, ShopifyConfig, identity_identifier

runner = pytest.importorskip("emulator.runner", reason="the Shopify emulator is not importable")
faults_module = pytest.importorskip("emulator.faults", reason="emulator fault controls missing")

EMU_TOKEN = "shpat_integration"
EMU_SHOP = "sigma-int.myshopify.com"


def config(base_url: str, **overrides: Any) -> ShopifyConfig:
    settings: dict[str, Any] = {
        "shop_domain": EMU_SHOP,
        "access_token": EMU_TOKEN,
        "base_url": base_url,
        "timeout": 5.0,
        "max_retries": 8,
        "backoff_base": 0.01,
        "backoff_max": 0.05,
        "bulk_poll_interval": 0.01,
        "bulk_poll_max_interval": 0.05,
    }
    settings.update(overrides)
    return ShopifyConfig(**settings)


@pytest.fixture
async def emu() -> AsyncIterator[Any]:
    async with runner.run_emulator(
        shop=EMU_SHOP, token=EMU_TOKEN, products=30, bucket=1e6, restore_rate=1e5, seed=3
    ) as running:
        yield running


def shirt(entity_id: str, title: str, sizes: list[str]) -> dict[str, Any]:
    return {
        "title": title,
        "vendor": "Sigma",
        "productOptions": [{"name": "Size", "values": [{"name": s} for s in sizes]}],
        "variants": [
            {
                "optionValues": [{"optionName": "Size", "name": s}],
                "price": "12.50",
                "sku": f"{title}-{s}",
            }
            for s in sizes
        ],
        "metafields": [
            {
                "namespace": "sigma",
                "key": "entity_id",
                "type": "single_line_text_field",
                "value": entity_id,
            }
        ],
    }


async def test_shop_and_paged_reads(emu: Any) -> None:
    async with ShopifyClient(config(emu.base_url)) as client:
        info = await client.shop()
        records = [r async for r in client.iter_products(page_size=7)]
        later = [r async for r in client.iter_products(updated_since="2999-01-01T00:00:00Z")]
    assert info.myshopify_domain == EMU_SHOP
    assert len(records) == 30
    assert len({r["id"] for r in records}) == 30
    assert later == []
    assert client.stats.actual_cost > 0


async def test_bad_token_is_auth_error(emu: Any) -> None:
    from sync.shopify import ShopifyAuthError

    async with ShopifyClient(config(emu.base_url, access_token="wrong-token-xyz")) as client:
        with pytest.raises(ShopifyAuthError) as caught:
            await client.shop()
    assert "wrong-token-xyz" not in str(caught.value)


async def test_identity_upsert_and_lookup(emu: Any) -> None:
    async with ShopifyClient(config(emu.base_url)) as client:
        assert await client.ensure_identity_definition() is True
        assert await client.ensure_identity_definition() is False
        created = await client.product_set(
            shirt("e-1", "Shirt", ["S", "M"]), identity_identifier("e-1")
        )
        updated = await client.product_set(
            shirt("e-1", "Shirt v2", ["S", "M", "L"]), identity_identifier("e-1")
        )
        found = await client.product_by_custom_id("e-1")
        missing = await client.product_by_custom_id("e-404")
    assert created.ok and updated.ok, (created.user_errors, updated.user_errors)
    assert created.product is not None and updated.product is not None
    assert updated.product["id"] == created.product["id"]
    assert [v["sku"] for v in updated.product["variants"]] == [
        "Shirt v2-S",
        "Shirt v2-M",
        "Shirt v2-L",
    ]
    assert found == updated.product
    assert missing is None


async def test_product_set_user_errors(emu: Any) -> None:
    async with ShopifyClient(config(emu.base_url)) as client:
        await client.ensure_identity_definition()
        bad = shirt("e-2", "Bad", ["S"])
        bad["variants"][0]["price"] = "-5"
        result = await client.product_set(bad, identity_identifier("e-2"))
    assert not result.ok
    assert result.user_errors


async def test_concurrent_writes_under_a_small_bucket() -> None:
    # A small bucket with a fast refill: 25 concurrent productSets only fit if the limiter paces
    # them from the throttle status instead of letting Shopify throttle.
    async with runner.run_emulator(
        shop=EMU_SHOP, token=EMU_TOKEN, bucket=300.0, restore_rate=3000.0
    ) as emu:
        async with ShopifyClient(config(emu.base_url)) as client:
            await client.ensure_identity_definition()
            results = await asyncio.gather(
                *(
                    client.product_set(
                        shirt(f"c-{i}", f"C{i}", ["S", "M"]), identity_identifier(f"c-{i}")
                    )
                    for i in range(25)
                )
            )
        throttled = emu.stats.throttled
    assert all(r.ok for r in results), [r.user_errors for r in results if not r.ok]
    assert client.stats.requests >= 26
    assert client.stats.limiter_wait > 0
    assert throttled == client.stats.throttled


async def test_reads_survive_injected_faults(emu: Any) -> None:
    emu.faults.configure(error_rate=0.2, drop_rate=0.1, throttle_rate=0.1, retry_after=0.01)
    async with ShopifyClient(config(emu.base_url, max_retries=12)) as client:
        records = [r async for r in client.iter_products(page_size=5)]
    assert len(records) == 30
    assert client.stats.retries > 0


async def test_bulk_export_matches_paged_reads(emu: Any) -> None:
    async with ShopifyClient(config(emu.base_url)) as client:
        paged = {r["id"]: r async for r in client.iter_products()}
        bulk = {r["id"]: r async for r in client.run_bulk_query()}
    assert bulk.keys() == paged.keys()
    for product_id, record in paged.items():
        assert bulk[product_id] == record


async def test_bulk_product_set(emu: Any) -> None:
    async with ShopifyClient(config(emu.base_url)) as client:
        await client.ensure_identity_definition()
        lines = [
            (identity_identifier(f"b-{i}"), shirt(f"b-{i}", f"Bulk{i}", ["S"])) for i in range(5)
        ]
        results = await client.run_bulk_product_set(lines)
        found = await client.product_by_custom_id("b-3")
    assert [r.line for r in results] == list(range(5))
    assert all(r.ok for r in results), [(r.user_errors, r.error) for r in results]
    assert found is not None and found["title"] == "Bulk3"
    assert results[3].product == found
