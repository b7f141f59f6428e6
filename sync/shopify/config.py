"""Connection settings for one Shopify store."""

from dataclasses import dataclass, field

from sync.shopify.versions import DEFAULT_API_VERSION


@dataclass(frozen=True)
class ShopifyConfig:
    """Where and how to reach one store's Admin GraphQL API.

    `base_url` is the operator's override (`SIGMA_SHOPIFY_BASE_URL`, e.g. an emulator on
    127.0.0.1); without it requests go to `https://{shop_domain}`. The token is excluded from
    the repr so that logging a config can never leak it.
    """

    shop_domain: str
    access_token: str = field(repr=False)
    api_version: str = DEFAULT_API_VERSION
    base_url: str | None = None
    timeout: float = 30.0
    max_retries: int = 8
    max_retry_time: float = 120.0
    # Backoff for retried failures without a server-given wait: base * 2**attempt, capped.
    backoff_base: float = 0.5
    backoff_max: float = 10.0
    # Bulk operation polling: starts at the first value, doubles up to the second. Each poll
    # (2 points) reports objectCount to the run's log, which a UI expects to move every second.
    bulk_poll_interval: float = 1.0
    bulk_poll_max_interval: float = 1.0
    bulk_timeout: float = 3600.0
    # Bytes a staged bulk-mutation file may have; None: the version's limit (20 or 100 MB).
    bulk_upload_limit: int | None = None

    @property
    def graphql_url(self) -> str:
        base = self.base_url.rstrip("/") if self.base_url else f"https://{self.shop_domain}"
        return f"{base}/admin/api/{self.api_version}/graphql.json"
