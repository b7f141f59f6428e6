"""Bulk limits: byte-bounded chunks, per-version limits, per-shop operation slots."""

import asyncio

import pytest

from sync.shopify.bulk_control import operation_name, renamed
from sync.shopify.bulk_limits import MB, byte_chunks, concurrent, shop_slots, upload_limit
from sync.shopify.documents import BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY


def lines(*sizes: int) -> list[bytes]:
    return [b"x" * (size - 1) + b"\n" for size in sizes]


def test_chunks_are_bounded_by_bytes_not_only_lines() -> None:
    chunks, oversize = byte_chunks(lines(40, 40, 40, 30, 90), max_bytes=100)
    assert [c.lines for c in chunks] == [[0, 1], [2, 3], [4]]
    assert all(c.size <= 100 for c in chunks) and oversize == []


def test_a_line_over_the_limit_is_reported_not_sent() -> None:
    chunks, oversize = byte_chunks(lines(10, 101, 10), max_bytes=100)
    assert [c.lines for c in chunks] == [[0, 2]] and oversize == [1]


def test_line_cap_still_applies() -> None:
    chunks, _ = byte_chunks(lines(*[5] * 5), max_bytes=1000, max_lines=2)
    assert [c.lines for c in chunks] == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize(
    ("version", "limit", "many"),
    [("2025-10", 20 * MB, False), ("2026-01", 100 * MB, True), ("unstable", 100 * MB, True)],
)
def test_version_limits(version: str, limit: int, many: bool) -> None:
    assert upload_limit(version) == limit
    assert concurrent(version) is many


async def _peak(version: str, kinds: list[str], shop: str = "a.myshopify.com") -> int:
    slots = shop_slots(shop)
    slots.peak = 0

    async def hold(kind: str) -> None:
        async with slots.hold(kind, version):
            await asyncio.sleep(0.01)

    await asyncio.gather(*(hold(kind) for kind in kinds))
    return slots.peak


async def test_five_at_once_from_2026_01_queries_and_mutations_together() -> None:
    assert await _peak("2026-10", ["MUTATION"] * 9 + ["QUERY"] * 3) == 5


async def test_one_of_each_type_before_2026_01() -> None:
    assert await _peak("2025-10", ["MUTATION"] * 4) == 1
    assert await _peak("2025-10", ["MUTATION"] * 3 + ["QUERY"] * 3) == 2


async def test_channels_on_one_shop_share_its_slots() -> None:
    assert shop_slots("Shop.myshopify.com") is shop_slots("shop.myshopify.com")
    assert shop_slots("other.myshopify.com") is not shop_slots("shop.myshopify.com")


def test_operation_names_are_unique_valid_and_carried_by_the_document() -> None:
    first, second = operation_name("ch-1", "log-1"), operation_name("ch-1", "log-1")
    assert first != second and first.startswith("SigmaBulk__ch1__log1__")
    text = renamed(BULK_PRODUCT_SET_MUTATION_UNSTABLE_ONLY, first)
    assert text.startswith(f"mutation {first}(")
