"""Expected failures, reported to API callers as userErrors rather than raised past the API."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UserError:
    field: list[str] | None
    message: str
    code: str


class UserErrors(Exception):
    """Raised by data-access functions when input is rejected; nothing has been written."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


def not_found(field: str, kind: str, value: str) -> UserErrors:
    return UserErrors([UserError([field], f"{kind} '{value}' does not exist", "NOT_FOUND")])
