"""Bulk import: the productSet lines staged, uploaded, run as one operation, and each result
line matched back to its item."""

import json
from typing import Any

from aiohttp import web

from sync.shopify import identity_identifier
from tests.helpers.bulk_lines import json_lines, operation
from tests.helpers.scripted_shopify import TOKEN, FakeClock, ScriptedShopify, make_client
from tests.helpers.shopify_nodes import product_node


async def test_bulk_product_set_uploads_runs_and_matches_lines(
    shopify: ScriptedShopify, clock: FakeClock
) -> None:
    op_id = "gid://shopify/BulkOperation/2"
    key = "tmp/123/bulk/sigma-product-set.jsonl"
    shopify.files["result.jsonl"] = json_lines(
        [
            # out of order on purpose: results are matched by __lineNumber, not position
            {
                "data": {
                    "productSet": {
                        "product": None,
                        "userErrors": [
                            {
                                "field": ["input", "title"],
                                "message": "Title can't be blank",
                                "code": "BLANK",
                            }
                        ],
                    }
                },
                "__lineNumber": 1,
            },
            {
                "data": {"productSet": {"product": product_node(1), "userErrors": []}},
                "__lineNumber": 0,
            },
        ]
    )

    async def fallback(request: web.Request, body: dict[str, Any]) -> web.StreamResponse:
        query = body["query"]
        if "stagedUploadsCreate" in query:
            return web.json_response(
                {
                    "data": {
                        "stagedUploadsCreate": {
                            "stagedTargets": [
                                {
                                    "url": f"{shopify.base_url}/upload",
                                    "resourceUrl": None,
                                    "parameters": [
                                        {"name": "key", "value": key},
                                        {"name": "policy", "value": "p0l1cy"},
                                    ],
                                }
                            ],
                            "userErrors": [],
                        }
                    }
                }
            )
        if "bulkOperationRunMutation" in query:
            return web.json_response(
                {
                    "data": {
                        "bulkOperationRunMutation": {
                            "bulkOperation": {"id": op_id, "status": "CREATED"},
                            "userErrors": [],
                        }
                    }
                }
            )
        return web.json_response(
            operation(op_id, "COMPLETED", f"{shopify.base_url}/files/result.jsonl")
        )

    shopify.fallback = fallback
    lines = [
        (identity_identifier("e1"), {"title": "One"}),
        (None, {"title": ""}),
        (identity_identifier("e3"), {"title": "Three"}),
    ]
    async with make_client(shopify.base_url, clock) as client:
        results = await client.run_bulk_product_set(lines)

    staged = shopify.received[0].variables["input"][0]
    assert staged == {
        "resource": "BULK_MUTATION_VARIABLES",
        "filename": "sigma-bulk.jsonl",
        "mimeType": "text/jsonl",
        "httpMethod": "POST",
    }
    [parts] = shopify.uploads
    assert [name for name, _ in parts] == ["key", "policy", "file"]
    uploaded = [json.loads(line) for line in parts[2][1].splitlines()]
    assert uploaded == [
        {"input": {"title": "One"}, "identifier": identity_identifier("e1")},
        {"input": {"title": ""}},
        {"input": {"title": "Three"}, "identifier": identity_identifier("e3")},
    ]
    run = shopify.received[1].variables
    assert run["stagedUploadPath"] == key
    assert "productSet(identifier: $identifier, input: $input" in run["mutation"]
    assert all(TOKEN not in json.dumps(h) for h in shopify.file_requests)

    assert [r.line for r in results] == [0, 1, 2]
    assert results[0].ok and results[0].product is not None
    assert results[0].product["id"] == "gid://shopify/Product/1"
    assert [e.code for e in results[1].user_errors] == ["BLANK"]
    assert results[2].error == "no result"
