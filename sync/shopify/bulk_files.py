"""Bulk operation files: the staged JSONL upload and the result download.

Staged-upload and result URLs point at Shopify's file storage, not the Admin API, so they get
no access token.
"""

from collections.abc import AsyncIterator

import aiohttp

from sync.shopify import documents
from sync.shopify.config import ShopifyConfig
from sync.shopify.cost import MUTATION_COST
from sync.shopify.errors import ShopifyBulkOperationError
from sync.shopify.records import UserError
from sync.shopify.transport import GraphQLTransport

FILENAME = "sigma-bulk.jsonl"
# What file storage answers for a signed URL past its expiry (7 days for `url` and
# `partialDataUrl`, BulkOperation docs): AccessDenied / "Request has expired", or gone.
_EXPIRED = {403, 404, 410}


class UploadTooLarge(ShopifyBulkOperationError):
    """File storage refused the staged file for its size (its policy's limit is below ours)."""


class ResultExpired(ShopifyBulkOperationError):
    """A bulk operation's result URL no longer answers (Shopify keeps results for 7 days)."""


class BulkFiles:
    def __init__(
        self, config: ShopifyConfig, transport: GraphQLTransport, session: aiohttp.ClientSession
    ) -> None:
        self._config = config
        self._transport = transport
        self._session = session

    async def stage(self, body: bytes) -> str:
        """Upload one JSONL file; returns the `stagedUploadPath` for bulkOperationRunMutation."""
        data = await self._transport.execute(
            documents.STAGED_UPLOADS_CREATE_MUTATION,
            {
                "input": [
                    {
                        "resource": "BULK_MUTATION_VARIABLES",
                        "filename": FILENAME,
                        "mimeType": "text/jsonl",
                        "httpMethod": "POST",
                    }
                ]
            },
            estimated_cost=MUTATION_COST,
        )
        payload = data.get("stagedUploadsCreate") or {}
        errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
        targets = payload.get("stagedTargets") or []
        if errors or not targets:
            detail = "; ".join(str(e) for e in errors) or "no upload target"
            raise ShopifyBulkOperationError(f"Shopify refused the bulk upload: {detail}")
        target = targets[0]
        parameters = [(str(p["name"]), str(p["value"])) for p in target.get("parameters") or []]
        form = aiohttp.FormData()
        for name, value in parameters:  # storage signatures require fields before the file
            form.add_field(name, value)
        form.add_field("file", body, filename=FILENAME, content_type="text/jsonl")
        timeout = aiohttp.ClientTimeout(total=max(self._config.timeout, 300.0))
        async with self._session.post(str(target["url"]), data=form, timeout=timeout) as response:
            answer = await response.read()
            # Signed-form storage (GCS, S3) answers 400 EntityTooLarge past the policy's size.
            if response.status == 413 or (response.status == 400 and b"EntityTooLarge" in answer):
                raise UploadTooLarge(f"the bulk file of {len(body)} bytes is over the upload limit")
            if response.status >= 300:
                raise ShopifyBulkOperationError(
                    f"uploading the bulk file of {len(body)} bytes failed (HTTP {response.status})"
                )
        key = dict(parameters).get("key")
        return key or str(target.get("resourceUrl") or "")

    async def download(self, url: str) -> AsyncIterator[bytes]:
        timeout = aiohttp.ClientTimeout(total=None, sock_read=self._config.timeout)
        async with self._session.get(url, timeout=timeout) as response:
            if response.status in _EXPIRED:
                raise ResultExpired(
                    f"the bulk operation's result file is gone (HTTP {response.status}); "
                    "Shopify keeps result files for 7 days"
                )
            if response.status != 200:
                raise ShopifyBulkOperationError(
                    f"downloading the bulk operation result failed (HTTP {response.status})"
                )
            async for chunk in response.content.iter_chunked(1 << 16):
                yield chunk
