"""Ungrouped bulk-query output (2026-01+): any line order gives the same products, on disk."""

import json
import random
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from sync.shopify import ShopifyBulkOperationError
from sync.shopify.bulk_reassembly import DiskReassembler
from tests.helpers.bulk_lines import P1, P2, image_line, metafield_line, product_line, variant_line


def positioned(line: dict[str, Any], position: int) -> dict[str, Any]:
    return {**line, "position": position}


def grouped_file() -> list[dict[str, Any]]:
    return [
        product_line(P1, "One"),
        positioned(variant_line(P1, 1), 1),
        image_line(P1, 2),
        metafield_line(P1),
        {"id": "gid://shopify/Video/3", "__parentId": P1},
        positioned(variant_line(P1, 4), 2),
        product_line(P2, "Two"),
        positioned(variant_line(P2, 6), 1),
    ]


async def lines(rows: list[dict[str, Any]]) -> AsyncIterator[bytes]:
    for row in rows:
        yield json.dumps(row).encode()


async def reassemble(rows: list[dict[str, Any]], tmp_path: Path) -> list[dict[str, Any]]:
    async with DiskReassembler(str(tmp_path)) as spool:
        await spool.add_all(lines(rows))
        return [product async for product in spool.products()]


def by_id(products: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    # Media and metafields keep file order within a product; compare them as sets of ids.
    out = {}
    for product in products:
        copy = dict(product)
        for name in ("media", "metafields"):
            copy[name] = sorted(json.dumps(n, sort_keys=True) for n in product[name]["nodes"])
        out[product["id"]] = copy
    return out


async def test_grouped_output_is_regrouped(tmp_path: Path) -> None:
    products = await reassemble(grouped_file(), tmp_path)
    assert [p["id"] for p in products] == [P1, P2]
    one = products[0]
    assert [v["id"] for v in one["variants"]["nodes"]] == [
        "gid://shopify/ProductVariant/1",
        "gid://shopify/ProductVariant/4",
    ]
    assert len(one["media"]["nodes"]) == 2
    assert one["metafields"]["nodes"][0]["key"] == "entity_id"
    assert "__parentId" not in one["variants"]["nodes"][0]
    assert "position" not in one["variants"]["nodes"][0]


@pytest.mark.parametrize("seed", range(5))
async def test_shuffled_output_gives_the_same_products(tmp_path: Path, seed: int) -> None:
    rows = grouped_file()
    random.Random(seed).shuffle(rows)
    assert by_id(await reassemble(rows, tmp_path)) == by_id(
        await reassemble(grouped_file(), tmp_path)
    )


async def test_children_before_their_parent_and_far_after_it(tmp_path: Path) -> None:
    rows = [
        positioned(variant_line(P2, 6), 1),
        product_line(P1, "One"),
        product_line(P2, "Two"),
        positioned(variant_line(P1, 4), 2),
        image_line(P1, 2),
        positioned(variant_line(P1, 1), 1),
    ]
    products = {p["id"]: p for p in await reassemble(rows, tmp_path)}
    assert [v["sku"] for v in products[P1]["variants"]["nodes"]] == ["S1", "S4"]
    assert [v["sku"] for v in products[P2]["variants"]["nodes"]] == ["S6"]


async def test_child_without_a_parent_line_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ShopifyBulkOperationError, match=f"children of {P2}"):
        await reassemble([product_line(P1, "One"), variant_line(P2, 1)], tmp_path)


async def test_bad_line_is_an_error_and_the_file_is_removed(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"not json"

    spool = DiskReassembler(str(tmp_path))
    with pytest.raises(ShopifyBulkOperationError, match="not valid JSON"):
        async with spool:
            await spool.add_all(broken())
    assert list(tmp_path.iterdir()) == []


def synthetic(products: int, seed: int) -> list[bytes]:
    """A shuffled ungrouped file: each product with 3 variants and 2 images, ~1.2 KB a product."""
    rows: list[bytes] = []
    for n in range(products):
        pid = f"gid://shopify/Product/{n}"
        rows.append(
            json.dumps({**product_line(pid, f"T{n}"), "descriptionHtml": "x" * 400}).encode()
        )
        for v in range(3):
            rows.append(json.dumps(positioned(variant_line(pid, n * 10 + v), v)).encode())
        for i in range(2):
            rows.append(json.dumps(image_line(pid, n * 10 + 5 + i)).encode())
    random.Random(seed).shuffle(rows)
    return rows


async def peak_while_reassembling(rows: list[bytes], tmp_path: Path) -> tuple[int, int]:
    async def source() -> AsyncIterator[bytes]:
        for row in rows:
            yield row

    tracemalloc.start()
    try:
        count = 0
        async with DiskReassembler(str(tmp_path)) as spool:
            await spool.add_all(source())
            async for product in spool.products():
                assert len(product["variants"]["nodes"]) == 3
                count += 1
        return count, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


async def test_memory_does_not_grow_with_the_store(tmp_path: Path) -> None:
    # The input rows are built before tracing starts, so the peak is the reassembler's own.
    # 4x is enough to tell constant from linear: held in memory, the 6,000 extra products
    # (~7 MB of JSONL, more as Python objects) would exceed the 2 MB allowed below.
    small, large = synthetic(2_000, 1), synthetic(8_000, 2)
    small_count, small_peak = await peak_while_reassembling(small, tmp_path)
    large_count, large_peak = await peak_while_reassembling(large, tmp_path)
    assert (small_count, large_count) == (2_000, 8_000)
    # 4x the products (~10 MB of JSONL) may not cost more than a small constant extra.
    assert large_peak < small_peak + 2_000_000, (small_peak, large_peak)
    assert large_peak < 8_000_000
