"""Expected failures, reported to API callers as userErrors rather than raised past the API."""

from dataclasses import dataclass
from enum import StrEnum

from db.models import SyncLog


class UserErrorCode(StrEnum):
    """Every userError code; the GraphQL enum `UserErrorCode` (descriptions: CODE_DESCRIPTIONS).

    Its values are plain strings in JSON, so `UserError.code` reads as before to a client.
    """

    INVALID = "INVALID"
    REQUIRED = "REQUIRED"
    TAKEN = "TAKEN"
    NOT_FOUND = "NOT_FOUND"
    UNKNOWN = "UNKNOWN"
    UNKNOWN_FIELD = "UNKNOWN_FIELD"
    UNKNOWN_ATTRIBUTE = "UNKNOWN_ATTRIBUTE"
    DUPLICATE_TARGET = "DUPLICATE_TARGET"
    DUPLICATE_ATTRIBUTE = "DUPLICATE_ATTRIBUTE"
    INVALID_METAFIELD_KEY = "INVALID_METAFIELD_KEY"
    RESERVED_NAMESPACE = "RESERVED_NAMESPACE"
    INVALID_METAFIELD_TYPE = "INVALID_METAFIELD_TYPE"
    INVALID_DIRECTION = "INVALID_DIRECTION"
    TYPE_MISMATCH = "TYPE_MISMATCH"
    SYNC_IN_PROGRESS = "SYNC_IN_PROGRESS"
    NO_SCHEMA = "NO_SCHEMA"
    NO_CREDENTIALS = "NO_CREDENTIALS"
    CREDENTIALS_UNREADABLE = "CREDENTIALS_UNREADABLE"
    INVALID_SCHEDULE = "INVALID_SCHEDULE"
    NO_PUBLIC_URL = "NO_PUBLIC_URL"
    SHOPIFY_ERROR = "SHOPIFY_ERROR"


# What each code means for the person fixing the input; shown in the GraphQL schema.
CODE_DESCRIPTIONS: dict[UserErrorCode, str] = {
    UserErrorCode.INVALID: "The value is malformed or out of range; the message says what is "
    "accepted.",
    UserErrorCode.REQUIRED: "The field must be given (and not be empty).",
    UserErrorCode.TAKEN: "The value must be unique and is used already (a name, an attribute key).",
    UserErrorCode.NOT_FOUND: "No object has the given id.",
    UserErrorCode.UNKNOWN: "An entity attribute that the entity's schema does not define.",
    UserErrorCode.UNKNOWN_FIELD: "A field mapping names a Shopify field outside the vocabulary "
    "(see effectiveFieldMappings for valid ones).",
    UserErrorCode.UNKNOWN_ATTRIBUTE: "A field mapping names an attribute the channel's schema "
    "does not define.",
    UserErrorCode.DUPLICATE_TARGET: "Two field mappings write the same Shopify field; keep one.",
    UserErrorCode.DUPLICATE_ATTRIBUTE: "Two field mappings pull into the same attribute; keep "
    "one, or make the other PUSH only.",
    UserErrorCode.INVALID_METAFIELD_KEY: "A metafield mapping's namespace or key breaks "
    "Shopify's rules (namespace 3-255, key 2-64 characters of letters, digits, - and _).",
    UserErrorCode.RESERVED_NAMESPACE: "A metafield mapping uses the namespace this service "
    "keeps for its identity metafield (sigma); choose another namespace.",
    UserErrorCode.INVALID_METAFIELD_TYPE: "metafieldType is not a metafield type this service "
    "can map (the message lists them), or is set on a field that is not a metafield.",
    UserErrorCode.INVALID_DIRECTION: "A mapping's direction is not one of BOTH, PUSH, PULL.",
    UserErrorCode.TYPE_MISMATCH: "The attribute's schema type cannot feed that Shopify field "
    "(e.g. a boolean into price).",
    UserErrorCode.SYNC_IN_PROGRESS: "A run of this channel is going on; the payload carries it. "
    "Poll syncLog(id) and try again when it has finished.",
    UserErrorCode.NO_SCHEMA: "The channel has no schemaId, which a pull needs to create "
    "entities in; set one with channelUpdate.",
    UserErrorCode.NO_CREDENTIALS: "The channel has no access token; set accessToken with "
    "channelUpdate.",
    UserErrorCode.CREDENTIALS_UNREADABLE: "The stored access token cannot be decrypted with "
    "this server's secret key; save the channel's accessToken again.",
    UserErrorCode.INVALID_SCHEDULE: "syncSchedule is neither a 5-field cron expression (UTC) "
    "nor an interval such as 'every 15m' of at least 1 minute, or it never fires; the message "
    "says which. Send null to remove the schedule.",
    UserErrorCode.NO_PUBLIC_URL: "Registering webhooks needs the address Shopify calls: set "
    "SIGMA_PUBLIC_URL on the server.",
    UserErrorCode.SHOPIFY_ERROR: "Shopify could not be reached or failed; the message says how. "
    "Nothing was changed; try again.",
}


@dataclass(frozen=True)
class UserError:
    field: list[str] | None
    message: str
    code: UserErrorCode


class UserErrors(Exception):
    """Raised by data-access functions when input is rejected; nothing has been written."""

    def __init__(self, errors: list[UserError]) -> None:
        super().__init__("; ".join(error.message for error in errors))
        self.errors = errors


class SyncInProgress(UserErrors):
    """The channel has a RUNNING log, so no other run may start and the channel cannot go.

    The only "a run is going on" error: callers check for it by type and answer with `running`
    (GraphQL: the payload's syncLog; REST: 409 with the log).
    """

    def __init__(self, running: SyncLog, field: str = "channelId") -> None:
        super().__init__(
            [
                UserError(
                    [field],
                    "a sync of this channel is running already; try again when it ends",
                    UserErrorCode.SYNC_IN_PROGRESS,
                )
            ]
        )
        self.running = running


def not_found(field: str, kind: str, value: str) -> UserErrors:
    return UserErrors(
        [UserError([field], f"{kind} '{value}' does not exist", UserErrorCode.NOT_FOUND)]
    )
