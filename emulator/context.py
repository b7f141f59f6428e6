"""What resolvers receive as `info.context`."""

from dataclasses import dataclass
from typing import Any, Protocol

from emulator.store import Store


class BulkService(Protocol):
    def run_query(self, query: str) -> dict[str, Any]: ...

    def run_mutation(
        self, mutation: str, staged_path: str, client_identifier: str | None
    ) -> dict[str, Any]: ...

    def cancel(self, operation_id: str) -> dict[str, Any]: ...

    def staged_uploads(self, inputs: list[dict[str, Any]]) -> dict[str, Any]: ...


@dataclass
class ExecContext:
    store: Store
    bulk: BulkService | None = None
    in_bulk: bool = False  # connections are unsized inside a bulk operation
    # A bulk query over `products` runs a window of the store at a time, so the server keeps
    # answering (polls included) while a large export is written, as Shopify's does.
    bulk_window: tuple[int, int] | None = None  # [start, stop) of the store's products
