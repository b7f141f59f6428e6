"""Bulk export: JSONL lines and regrouping, polling, failures, an expired result file.
(Bulk import: test_bulk_import.py.)"""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from sync.shopify import ShopifyBulkOperationError
from sync.shopify.bulk_jsonl import jsonl_lines
from tests.helpers.bulk_lines import (
    P1,
    P2,
    image_line,
    json_lines,
    operation,
    product_line,
    variant_line,
)
from tests.helpers.scripted_shopify import FakeClock, ScriptedShopify, make_client


async def test_jsonl_lines_across_chunk_boundaries() -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for piece in (b'{"a": 1}\n{"b"', b": 2}\n", b'\n{"c": 3}'):
            yield piece

    assert [line async for line in jsonl_lines(chunks())] == [{"a": 1}, {"b": 2}, {"c": 3}]


async def test_bulk_query_polls_and_streams_products(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    op_id = "gid://shopify/BulkOperation/1"
    shopify.files["export.jsonl"] = json_lines(
        [
            product_line(P1, "One"),
            variant_line(P1, 1),
            image_line(P1, 2),
            product_line(P2, "Two"),
        ]
    )
    url = f"{shopify.base_url}/files/export.jsonl"
    polls = [
        operation(op_id, "CREATED"),
        operation(op_id, "RUNNING"),
        operation(op_id, "COMPLETED", url),
    ]

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if "bulkOperationRunQuery" in body["query"]:
            return web.json_response(
                {
                    "data": {
                        "bulkOperationRunQuery": {
                            "bulkOperation": {"id": op_id, "status": "CREATED"},
                            "userErrors": [],
                        }
                    }
                }
            )
        assert body["variables"] == {"id": op_id}
        return web.json_response(polls.pop(0))

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        records = [r async for r in client.run_bulk_query(updated_since="2026-01-01T00:00:00Z")]
    assert [r["title"] for r in records] == ["One", "Two"]
    assert records[0]["images"] == ["https://cdn/2.jpg"]
    assert [v["sku"] for v in records[0]["variants"]] == ["S1"]
    sent_query = shopify.received[0].variables["query"]
    assert "updated_at:>='2026-01-01T00:00:00Z'" in sent_query
    assert "__parentId" not in sent_query
    assert clock.sleeps == [0.01, 0.02]  # poll backoff doubles
    assert all("X-Shopify-Access-Token" not in h for h in shopify.file_requests)


async def test_bulk_query_failure_raises(shopify: ScriptedShopify, clock: FakeClock) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if "bulkOperationRunQuery" in body["query"]:
            return web.json_response(
                {
                    "data": {
                        "bulkOperationRunQuery": {
                            "bulkOperation": {
                                "id": "gid://shopify/BulkOperation/9",
                                "status": "CREATED",
                            },
                            "userErrors": [],
                        }
                    }
                }
            )
        answer = operation("gid://shopify/BulkOperation/9", "FAILED")
        answer["data"]["node"]["errorCode"] = "INTERNAL_SERVER_ERROR"
        return web.json_response(answer)

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyBulkOperationError, match=r"FAILED.*INTERNAL_SERVER_ERROR"):
            [r async for r in client.run_bulk_query()]


async def test_bulk_query_in_progress_is_refused(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        return web.json_response(
            {
                "data": {
                    "bulkOperationRunQuery": {
                        "bulkOperation": None,
                        "userErrors": [
                            {
                                "field": None,
                                "message": "A bulk query operation for this app and "
                                "shop is already in progress",
                                "code": "OPERATION_IN_PROGRESS",
                            }
                        ],
                    }
                }
            }
        )

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(ShopifyBulkOperationError, match="OPERATION_IN_PROGRESS"):
            [r async for r in client.run_bulk_query()]


async def test_expired_export_file_is_exported_again_with_progress(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    # The first operation's file is gone (storage answers 404, as for a link past its 7 days).
    shopify.files["fresh.jsonl"] = json_lines([product_line(P1, "One"), variant_line(P1, 1)])
    starts: list[str] = []

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if "bulkOperationRunQuery" in body["query"]:
            starts.append(body["variables"]["query"])
            op_id = f"gid://shopify/BulkOperation/{len(starts)}"
            return web.json_response(
                {
                    "data": {
                        "bulkOperationRunQuery": {
                            "bulkOperation": {"id": op_id, "status": "CREATED"},
                            "userErrors": [],
                        }
                    }
                }
            )
        op_id = body["variables"]["id"]
        name = "gone.jsonl" if op_id.endswith("/1") else "fresh.jsonl"
        return web.json_response(operation(op_id, "COMPLETED", f"{shopify.base_url}/files/{name}"))

    shopify.fallback = fallback
    seen: list[int] = []
    async with make_client(shopify.base_url, clock) as client:
        records = [r async for r in client.run_bulk_query(on_progress=lambda _, n: seen.append(n))]
    assert [r["title"] for r in records] == ["One"]
    assert len(starts) == 2 and seen == [2, 2]  # rootObjectCount of each finished poll


async def test_export_file_gone_twice_is_a_clear_error(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        if "bulkOperationRunQuery" in body["query"]:
            return web.json_response(
                {
                    "data": {
                        "bulkOperationRunQuery": {
                            "bulkOperation": {"id": "gid://shopify/BulkOperation/1"},
                            "userErrors": [],
                        }
                    }
                }
            )
        url = f"{shopify.base_url}/files/gone.jsonl"
        return web.json_response(operation("gid://shopify/BulkOperation/1", "COMPLETED", url))

    shopify.fallback = fallback
    async with make_client(shopify.base_url, clock) as client:
        with pytest.raises(
            ShopifyBulkOperationError, match="Shopify keeps result files for 7 days"
        ):
            [r async for r in client.run_bulk_query()]
