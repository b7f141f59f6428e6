"""Exceptions raised by the Shopify client.

Messages are written for a merchant reading a sync log. None of them ever carries the access
token: server-provided text is passed through `redact` before it reaches a message.
"""

from dataclasses import dataclass
from typing import Literal


class ShopifyError(Exception):
    """Base of every error the Shopify client raises."""


class ShopifyRunError(ShopifyError):
    """The store refused the app as a whole: the run cannot proceed until someone acts."""

    status: int = 0


class ShopifyAuthError(ShopifyRunError):
    status = 401

    def __init__(self) -> None:
        super().__init__("Shopify rejected the access token (HTTP 401)")


class ShopifyPaymentRequired(ShopifyRunError):
    status = 402

    def __init__(self) -> None:
        super().__init__("The Shopify store is frozen for an unpaid bill (HTTP 402)")


class ShopifyForbidden(ShopifyRunError):
    status = 403

    def __init__(self, detail: str = "") -> None:
        message = "The access token lacks a permission (scope) this sync needs (HTTP 403)"
        super().__init__(f"{message}: {detail}" if detail else message)


class ShopifyNotFound(ShopifyRunError):
    status = 404

    def __init__(self, shop_domain: str) -> None:
        super().__init__(f"Shopify has no store at {shop_domain} (HTTP 404)")


class ShopifyLocked(ShopifyRunError):
    status = 423

    def __init__(self) -> None:
        super().__init__("The Shopify store is locked (HTTP 423)")


class ShopifyHTTPError(ShopifyError):
    """Any other non-retryable HTTP status (400, 430, ...)."""

    def __init__(self, status: int, detail: str = "") -> None:
        self.status = status
        message = f"Shopify refused the request (HTTP {status})"
        super().__init__(f"{message}: {detail}" if detail else message)


UnavailableReason = Literal["timeout", "unreachable", "dropped", "server_error", "throttled"]

_UNAVAILABLE_TEXT: dict[str, str] = {
    "timeout": "Shopify did not answer in time",
    "unreachable": "the Shopify host could not be reached",
    "dropped": "the connection to Shopify kept dropping",
    "server_error": "Shopify kept answering with a server error",
    "throttled": "Shopify kept throttling the requests (rate limit)",
}


class ShopifyUnavailable(ShopifyError):
    """Retries exhausted; `reason` says what kept failing, `detail` the last failure."""

    def __init__(self, reason: UnavailableReason, attempts: int, detail: str = "") -> None:
        self.reason = reason
        self.attempts = attempts
        message = f"{_UNAVAILABLE_TEXT[reason]} (gave up after {attempts} attempts)"
        super().__init__(f"{message}: {detail}" if detail else message)


@dataclass(frozen=True)
class GraphQLErrorEntry:
    message: str
    code: str | None


class ShopifyGraphQLError(ShopifyError):
    """The response carried top-level `errors` (the request itself was wrong or refused)."""

    def __init__(self, errors: list[GraphQLErrorEntry]) -> None:
        self.errors = errors
        text = (
            "; ".join(f"{e.message} ({e.code})" if e.code else e.message for e in errors)
            or "unknown error"
        )
        super().__init__(f"Shopify returned an error: {text}")

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors if e.code]


class MaxCostExceeded(ShopifyGraphQLError):
    """The query's cost is above Shopify's single-query limit; retrying it as-is cannot work."""


class ShopifyInvalidDocument(ShopifyError):
    """A document the API version's schema refuses; found locally, so it was never sent."""

    def __init__(self, operation: str, api_version: str, problems: list[str]) -> None:
        self.operation = operation
        self.api_version = api_version
        self.problems = problems
        super().__init__(
            f"the {operation or 'unnamed'} request is not valid for Shopify API {api_version}, "
            f"so it was not sent: {'; '.join(problems)}"
        )


class ShopifyBulkOperationError(ShopifyError):
    """A bulk operation ended in a state other than COMPLETED, or could not be started."""


def redact(text: str, secret: str) -> str:
    """Remove a secret from server-provided text (some proxies echo request headers)."""
    return text.replace(secret, "[redacted]") if secret else text
