"""What each public type, field, argument and enum value of the API means, for a UI developer.

One table, applied to the built schema by graph.schema_docs.describe_schema where the code gives
no description of its own (a few fields carry theirs next to their resolver). A test fails when
a public name has no description or an entry here names something the schema no longer has.
Keys: "Type", "Type.field", "Type.field(argument)", "Enum.VALUE". The mutations, their inputs
and payloads are in graph.mutation_descriptions.
"""

from graph.mutation_descriptions import MUTATION_DESCRIPTIONS

_PAGE = {
    "first": "How many to return: 1 to 250, 50 when omitted.",
    "after": "The endCursor of the previous page; omit for the first page.",
}
_CONNECTION = {
    "nodes": "The items of this page, in a stable order.",
    "pageInfo": "Whether there is a next page, and the cursor to ask for it.",
    "totalCount": "How many items match in all pages together.",
}
_WHEN = {
    "createdAt": "When it was created (UTC).",
    "updatedAt": "When it was last changed (UTC).",
}


def _connection(type_name: str, item: str) -> dict[str, str]:
    described = {f"{type_name}": f"One page of {item}, with what is needed to fetch the next."}
    described.update({f"{type_name}.{k}": v for k, v in _CONNECTION.items()})
    return described


def _paged(field: str) -> dict[str, str]:
    return {f"{field}({k})": v for k, v in _PAGE.items()}


DESCRIPTIONS: dict[str, str] = {
    # -- queries ----------------------------------------------------------------------------
    "Query": "Reads. Every list with first/after is a connection of at most 250 items a page.",
    "Query.channels": "Every channel (sales channel: a Shopify store), oldest first.",
    "Query.channel": "One channel, or null when no channel has this id.",
    "Query.channel(id)": "The channel's id.",
    "Query.syncLogs": "The runs of one channel, newest first.",
    "Query.syncLogs(channelId)": "The channel whose runs to list.",
    "Query.syncLogs(status)": "Only runs in this state (e.g. RUNNING to find the current one).",
    **_paged("Query.syncLogs"),
    "Query.syncLog": "One run; poll it while its status is RUNNING to show progress.",
    "Query.syncLog(id)": "The id a push, pull or sync mutation returned.",
    "Query.syncMappings": "The links between entities and Shopify products of one channel.",
    "Query.syncMappings(channelId)": "The channel whose links to list.",
    "Query.syncMappings(entityId)": "Only the link of this entity (at most one per channel).",
    **_paged("Query.syncMappings"),
    "Query.entities": "PIM entities (products), optionally of one schema or one catalog.",
    "Query.entities(schemaId)": "Only entities of this schema.",
    "Query.entities(catalogId)": "Only entities in this catalog.",
    **_paged("Query.entities"),
    "Query.entity": "One entity, or null when no entity has this id.",
    "Query.entity(id)": "The entity's id.",
    "Query.schemas": "Every schema (entity type), oldest first.",
    "Query.catalogs": "Every catalog, oldest first.",
    # -- channel ----------------------------------------------------------------------------
    "Channel": "A Shopify store that entities are synced with, and how.",
    "Channel.id": "Opaque id; pass it to push, pull, sync and the channel mutations.",
    "Channel.name": "The name shown to people.",
    "Channel.type": "The kind of sales channel; today always SHOPIFY.",
    "Channel.shopDomain": "The store's myshopify.com host, normalised (e.g. "
    "my-store.myshopify.com).",
    "Channel.apiVersion": "The Shopify Admin API version requests use (YYYY-MM); see "
    "apiVersionWarning.",
    "Channel.hasAccessToken": "Whether an access token is stored; the token itself is never "
    "returned.",
    "Channel.schemaId": "The schema whose entities are pushed and in which pulled products are "
    "created; a pull needs one.",
    "Channel.catalogIds": "Only entities in these catalogs are pushed (all when empty); pulled "
    "entities join the first.",
    "Channel.conflictPolicy": "What a sync does when both the entity and the product changed.",
    "Channel.deletePolicy": "What a push does with the product of an entity deleted from the PIM.",
    "Channel.syncSchedule": "The cron expression (UTC) or interval ('every 15m') on which a "
    "sync runs by itself; null when syncs run only on request.",
    "Channel.nextSyncAt": "When the schedule starts the next sync (UTC); null without a "
    "schedule. Skipped (and moved on) when a run of the channel is going on then.",
    "Channel.hasWebhookSecret": "Whether a webhook secret is stored (webhooks are refused "
    "without one); the secret itself is never returned.",
    "Channel.remoteDeletePolicy": "What happens to the entity of a product deleted in Shopify.",
    "Channel.lastPulledAt": "When the last pull finished; the next pull reads only products "
    "updated since (with a 5-minute overlap). Null before the first pull.",
    **{f"Channel.{k}": v for k, v in _WHEN.items()},
    "ChannelType": "The kind of sales channel.",
    "ChannelType.SHOPIFY": "A Shopify store, reached through its Admin GraphQL API.",
    "FieldMapping": "One entity attribute and the Shopify product field it feeds or is fed by.",
    "FieldMapping.attribute": "The attribute key in the entity's attributes.",
    "FieldMapping.field": "The Shopify field: title, descriptionHtml, vendor, productType, "
    "handle, status, tags, seo.title, seo.description, variant.sku, variant.price, "
    "variant.compareAtPrice, variant.barcode, variants, images or metafield.<namespace>.<key>.",
    "FieldMapping.direction": "Which way values flow for this pair.",
    "FieldMapping.metafieldType": "The Shopify metafield type of a metafield.* field (default "
    "single_line_text_field); null for other fields.",
    "MappingDirection": "Which way a field mapping carries values.",
    "MappingDirection.BOTH": "Pushed to Shopify and pulled back.",
    "MappingDirection.PUSH": "Only pushed: Shopify's value never overwrites the attribute.",
    "MappingDirection.PULL": "Only pulled: the attribute never overwrites Shopify's value.",
    "ConflictPolicy": "What a bidirectional sync does when both sides changed since the last sync.",
    "ConflictPolicy.LOCAL_WINS": "The entity wins: it is pushed over the product.",
    "ConflictPolicy.REMOTE_WINS": "The product wins: it is pulled over the entity.",
    "ConflictPolicy.NEWEST_WINS": "The side with the later updatedAt wins.",
    "ConflictPolicy.MANUAL": "Neither side is touched; the pair is an error in the run's log "
    "until someone edits one side.",
    "DeletePolicy": "What a full push or sync does with the product of an entity deleted from "
    "the PIM.",
    "DeletePolicy.KEEP": "Leave the product in Shopify (and do not pull it back).",
    "DeletePolicy.ARCHIVE": "Set the product's status to ARCHIVED once; reversible in Shopify.",
    "DeletePolicy.DELETE": "Delete the product in Shopify (irreversible) and forget the link.",
    "RemoteDeletePolicy": "What happens to the entity of a product deleted in Shopify, found "
    "by a products/delete webhook, a targeted pull or the id reconciliation.",
    "RemoteDeletePolicy.UNLINK": "Keep the entity and forget the link; a later push creates a "
    "new product.",
    "RemoteDeletePolicy.DELETE": "Delete the entity (other channels then apply their "
    "deletePolicy to it).",
    "MatchBy": "The key that links a store's existing products to entities on the first sync, "
    "instead of creating duplicates.",
    "MatchBy.SKU": "The variant SKU (mapped by variant.sku or variants).",
    "MatchBy.HANDLE": "The product handle (mapped by handle).",
    "MatchBy.BARCODE": "The variant barcode (mapped by variant.barcode or variants).",
    # -- runs ---------------------------------------------------------------------------------
    **_connection("SyncLogConnection", "runs"),
    "SyncLog": "One push, pull or sync run and its counters; they move while it runs.",
    "SyncLog.id": "Opaque id; poll syncLog(id) with it.",
    "SyncLog.channelId": "The channel that ran.",
    "SyncLog.direction": "What ran: push, pull or both.",
    "SyncLog.status": "RUNNING until the run ends, then how it ended.",
    "SyncLog.startedAt": "When the run started (UTC).",
    "SyncLog.completedAt": "When the run ended (UTC); null while it runs.",
    "SyncLog.pushed": "Entities written to Shopify so far.",
    "SyncLog.pulled": "Products written into entities so far.",
    "SyncLog.skipped": "Pairs unchanged since the last sync: no request, no write.",
    "SyncLog.failed": "Items that failed; each has an entry in errors.",
    "SyncLog.errors": "What failed, one entry per item (and one first entry when the run stopped).",
    "SyncDirection": "What a run does.",
    "SyncDirection.PUSH": "Entities to Shopify.",
    "SyncDirection.PULL": "Shopify products to entities.",
    "SyncDirection.BIDIRECTIONAL": "Both, deciding each pair by what changed since the last sync.",
    "SyncPhase": "What a running sync is doing now.",
    "SyncPhase.STARTING": "Just started; nothing read yet.",
    "SyncPhase.READING": "Reading entities or Shopify products and comparing them.",
    "SyncPhase.PUSHING": "Sending changed products to Shopify one by one.",
    "SyncPhase.UPLOADING": "Uploading a bulk operation's file to Shopify.",
    "SyncPhase.WAITING_FOR_SHOPIFY": "A Shopify bulk operation runs (see bulkOperationId); "
    "pushed counts the lines it has done.",
    "SyncPhase.WRITING_MAPPINGS": "Reading a bulk operation's result and recording what "
    "Shopify applied.",
    "SyncPhase.APPLYING_DELETIONS": "Applying the channel's deletePolicy to products of "
    "deleted entities.",
    "SyncPhase.DONE": "The run ended; see status.",
    "SyncStatus": "Where a run is.",
    "SyncStatus.RUNNING": "Still going; counters move. Poll again.",
    "SyncStatus.SUCCESS": "Finished with no failed item.",
    "SyncStatus.FAILED": "Stopped: it could not go on (credentials refused, store frozen, "
    "Shopify unreachable, server stopped); errors[0] says why.",
    "SyncStatus.PARTIAL": "Finished, but some items failed; see errors.",
    "SyncError": "One failed item of a run.",
    "SyncError.entityId": "The entity concerned, when known.",
    "SyncError.externalId": "The Shopify product id (gid://shopify/Product/...), when known.",
    "SyncError.message": "What went wrong, for a person; no credential is ever included.",
    "PageInfo": "Where a page stands in a connection.",
    "PageInfo.hasNextPage": "Whether another page follows.",
    "PageInfo.endCursor": "Pass as `after` to get the next page; null on an empty page.",
    **_connection("SyncMappingConnection", "entity-product links"),
    "SyncMapping": "The link between one entity and its Shopify product in one channel.",
    "SyncMapping.id": "Opaque id.",
    "SyncMapping.channelId": "The channel of the link.",
    "SyncMapping.entityId": "The linked entity.",
    "SyncMapping.externalId": "The Shopify product id (gid://shopify/Product/...).",
    "SyncMapping.externalVariantIds": "The product's variant ids (gid://shopify/ProductVariant/"
    "...), in order.",
    "SyncMapping.lastPushedAt": "When the entity was last written to Shopify; null if never.",
    "SyncMapping.lastPulledAt": "When the product was last written into the entity; null if never.",
    "SyncMapping.checksum": "SHA-256 of the mapped values both sides agreed on at the last sync; "
    "a side whose values no longer give it has changed.",
    # -- PIM data -----------------------------------------------------------------------------
    **_connection("EntityConnection", "entities"),
    "Entity": "A PIM product: attribute values of one schema, in zero or more catalogs.",
    "Entity.id": "Opaque id; pass it to entity, entityUpdate or push(entityIds).",
    "Entity.schemaId": "The schema that defines the entity's attributes.",
    "Entity.attributes": "The values, a JSON object keyed by the schema's attribute keys.",
    **{f"Entity.{k}": v for k, v in _WHEN.items()},
    "Entity.catalogIds": "The catalogs the entity belongs to.",
    "Entity.schema": "The entity's schema (its attribute definitions).",
    "Schema": "An entity type: the attributes its entities may carry.",
    "Schema.id": "Opaque id.",
    "Schema.name": "Unique name shown to people.",
    "Schema.attributes": "The attribute definitions, in order.",
    **{f"Schema.{k}": v for k, v in _WHEN.items()},
    "Attribute": "One attribute an entity of the schema may carry.",
    "Attribute.key": "The key in Entity.attributes and in field mappings.",
    "Attribute.label": "A name shown to people; null when the key is enough.",
    "Attribute.type": "What values are accepted.",
    "Attribute.required": "Whether every entity must have a non-empty value.",
    "AttributeType": "The kind of value an attribute holds.",
    "AttributeType.TEXT": "A string.",
    "AttributeType.RICHTEXT": "An HTML string (e.g. a product description).",
    "AttributeType.NUMBER": "A JSON number.",
    "AttributeType.MONEY": 'A decimal amount as a string, e.g. "12.50".',
    "AttributeType.BOOLEAN": "true or false.",
    "AttributeType.LIST": "A list of strings (e.g. tags, image URLs).",
    "AttributeType.JSON": "Any JSON value (e.g. the variants list).",
    "Catalog": "A named group of entities; channels can push only some catalogs.",
    "Catalog.id": "Opaque id.",
    "Catalog.name": "Unique name shown to people.",
    **{f"Catalog.{k}": v for k, v in _WHEN.items()},
    **MUTATION_DESCRIPTIONS,
}
