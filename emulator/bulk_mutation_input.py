"""What bulkOperationRunMutation checks before it starts: the mutation and its staged JSONL file.

Messages and codes are Shopify's (BulkMutationErrorCode; bulk import guide,
https://shopify.dev/docs/api/usage/bulk-operations/imports). The shop's operation limit is
checked afterwards by the runner, since it depends on the operations running.
"""

import json
from dataclasses import dataclass
from typing import Any

from emulator.executor import Executor, Prepared, root_fields
from emulator.versions import CLIENT_IDENTIFIER_LENGTH, Served


@dataclass(frozen=True)
class Refused:
    """The userError bulkOperationRunMutation answers instead of an operation."""

    message: str
    code: str | None
    field: list[str]


def accept_mutation(
    executor: Executor,
    staged: bytes | None,
    mutation: str,
    client_identifier: str | None,
    version: Served,
) -> tuple[Prepared, list[dict[str, Any]]] | Refused:
    """The prepared mutation and the variables of each line, or why the start is refused."""
    if (
        client_identifier is not None
        and version.at_least(CLIENT_IDENTIFIER_LENGTH)
        and not 10 <= len(client_identifier) <= 255
    ):
        return Refused(
            "Client identifier must be between 10 and 255 characters.",
            None,
            ["clientIdentifier"],
        )
    prepared = executor.prepare(mutation)
    if prepared.errors:
        return Refused(prepared.errors[0]["message"], "INVALID_MUTATION", ["mutation"])
    operation = prepared.operation(None)
    roots = root_fields(operation) if operation else []
    if operation is None or operation.operation.value != "mutation" or len(roots) != 1:
        return Refused(
            "Bulk mutations must contain exactly one mutation field.",
            "INVALID_MUTATION",
            ["mutation"],
        )
    # "Bulk mutations now accept any mutation" ("Faster bulk operations", all versions);
    # a bulk operation cannot start another one.
    if roots[0].startswith("bulkOperation"):
        return Refused(
            f"You must use an allowed mutation name. {roots[0]} is not allowed.",
            "INVALID_MUTATION",
            ["mutation"],
        )
    if staged is None:
        message = (
            "The JSONL file could not be found. Try uploading the file again, and "
            "check that you've entered the URL correctly for the stagedUploadPath "
            "mutation argument."
        )
        return Refused(message, "NO_SUCH_FILE", ["stagedUploadPath"])
    try:
        lines = [json.loads(line) for line in staged.decode().splitlines() if line.strip()]
        if not all(isinstance(v, dict) for v in lines):
            raise ValueError("not objects")
    except ValueError:
        return Refused(
            "The staged upload file is not a valid JSONL file.",
            "INVALID_STAGED_UPLOAD_FILE",
            ["stagedUploadPath"],
        )
    return prepared, lines
