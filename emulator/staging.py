"""stagedUploadsCreate for bulk mutation variables: signed form-upload targets and their limits."""

import secrets
from collections.abc import Callable
from typing import Any

from emulator.bulk_rules import upload_limit
from emulator.store import Store
from emulator.versions import Served


class Staging:
    """Targets for `POST /staged-uploads` (emulator.uploads), each with the size limit of the API
    version that created it, as Shopify's signed POST policy carries the limit."""

    def __init__(
        self, store: Store, base_url: Callable[[], str], override: int | None = None
    ) -> None:
        self.store = store
        self.base_url = base_url
        self.override = override  # bytes for every version (tests set it small)
        self.limits: dict[str, int] = {}  # staged key -> bytes its target accepts

    def create_targets(self, inputs: list[dict[str, Any]], version: Served) -> dict[str, Any]:
        limit = self.override if self.override is not None else upload_limit(version)
        targets = []
        for item in inputs:
            key = f"tmp/{self.store.shop.shop_id}/bulk/{secrets.token_hex(16)}/{item['filename']}"
            self.limits[key] = limit
            url = f"{self.base_url()}/staged-uploads"
            parameters = [
                {"name": "Content-Type", "value": item["mimeType"]},
                {"name": "success_action_status", "value": "201"},
                {"name": "acl", "value": "private"},
                {"name": "key", "value": key},
                {"name": "x-goog-date", "value": "20261126T000000Z"},
                {
                    "name": "x-goog-credential",
                    "value": "emulator/20261126/auto/storage/goog4_request",
                },
                {"name": "x-goog-algorithm", "value": "GOOG4-RSA-SHA256"},
                {"name": "x-goog-signature", "value": secrets.token_hex(32)},
                {"name": "policy", "value": secrets.token_urlsafe(24)},
            ]
            targets.append({"url": url, "resourceUrl": f"{url}/{key}", "parameters": parameters})
        return {"stagedTargets": targets, "userErrors": []}

    def limit(self, key: str | None) -> int:
        """Bytes the upload for `key` may have (an unknown key gets the smallest limit)."""
        smallest = upload_limit(Served("2025-10", "2025-10"))
        return self.limits.get(key or "", self.override or smallest)
