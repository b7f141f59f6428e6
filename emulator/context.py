"""What resolvers receive as `info.context`."""

from dataclasses import dataclass, field
from typing import Any, Protocol

from emulator.store import Store
from emulator.versions import UNSTABLE, Served


class BulkService(Protocol):
    def run_query(self, query: str, group_objects: bool, version: Served) -> dict[str, Any]: ...

    def run_mutation(
        self, mutation: str, staged_path: str, client_identifier: str | None, version: Served
    ) -> dict[str, Any]: ...

    def cancel(self, operation_id: str) -> dict[str, Any]: ...

    def staged_uploads(self, inputs: list[dict[str, Any]], version: Served) -> dict[str, Any]: ...


@dataclass
class ExecContext:
    store: Store
    bulk: BulkService | None = None
    # emulator.webhooks.Webhooks: the shop's subscriptions (None where none are served)
    webhooks: Any = None
    in_bulk: bool = False  # connections are unsized inside a bulk operation
    # A bulk query over `products` runs a window of the store at a time, so the server keeps
    # answering (polls included) while a large export is written, as Shopify's does.
    bulk_window: tuple[int, int] | None = None  # [start, stop) of the store's products
    # The API version serving this request, so resolvers can behave as that version does.
    version: Served = field(default_factory=lambda: Served(UNSTABLE, UNSTABLE))
