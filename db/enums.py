"""The enum-valued columns: each holds the upper-case names of the GraphQL enum of the same
name (AttributeType excepted: its values are the schema's lower-case type names)."""

from enum import StrEnum


class AttributeType(StrEnum):
    TEXT = "text"
    RICHTEXT = "richtext"
    NUMBER = "number"
    MONEY = "money"
    BOOLEAN = "boolean"
    LIST = "list"
    JSON = "json"


class SyncDirection(StrEnum):
    PUSH = "PUSH"
    PULL = "PULL"
    BIDIRECTIONAL = "BIDIRECTIONAL"


class SyncStatus(StrEnum):
    RUNNING = "RUNNING"
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    PARTIAL = "PARTIAL"


class SyncPhase(StrEnum):
    """What a running sync is doing now, for a UI that polls its log."""

    STARTING = "STARTING"
    READING = "READING"  # reading PIM entities or Shopify products and comparing them
    PUSHING = "PUSHING"  # sending productSet per item
    UPLOADING = "UPLOADING"  # uploading a bulk operation's JSONL file
    WAITING_FOR_SHOPIFY = "WAITING_FOR_SHOPIFY"  # a bulk operation runs at Shopify
    WRITING_MAPPINGS = "WRITING_MAPPINGS"  # reading a bulk result, recording what Shopify applied
    APPLYING_DELETIONS = "APPLYING_DELETIONS"  # the channel's deletePolicy
    DONE = "DONE"


class ConflictPolicy(StrEnum):
    LOCAL_WINS = "LOCAL_WINS"
    REMOTE_WINS = "REMOTE_WINS"
    NEWEST_WINS = "NEWEST_WINS"
    MANUAL = "MANUAL"


class DeletePolicy(StrEnum):
    """What a push does with the Shopify product of an entity deleted from the PIM."""

    KEEP = "KEEP"
    ARCHIVE = "ARCHIVE"
    DELETE = "DELETE"


class RemoteDeletePolicy(StrEnum):
    """What happens to the entity of a product deleted in Shopify (a webhook or a
    reconciliation finds it)."""

    UNLINK = "UNLINK"  # keep the entity, drop the link: a later push creates a new product
    DELETE = "DELETE"  # delete the entity too


class MatchBy(StrEnum):
    """The key that links a store's existing products to PIM entities on a first sync."""

    SKU = "SKU"
    HANDLE = "HANDLE"
    BARCODE = "BARCODE"


class ChannelType(StrEnum):
    SHOPIFY = "SHOPIFY"
