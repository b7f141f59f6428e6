"""What each mutation, its arguments, inputs and payloads mean (part of graph.descriptions)."""


def _payload(type_name: str, what: str, field: str) -> dict[str, str]:
    return {
        type_name: f"The result of a mutation that {what}.",
        f"{type_name}.{field}": f"The {field} as saved; null when there are userErrors.",
        f"{type_name}.userErrors": "Why the input was refused; empty on success. Nothing is "
        "written when there is one.",
    }


MUTATION_DESCRIPTIONS: dict[str, str] = {
    "Mutation": "Writes. Each returns its object and userErrors; nothing is written when there "
    "is a userError.",
    "Mutation.schemaCreate": "Create a schema (entity type) with its attributes.",
    "Mutation.schemaCreate(input)": "The schema's name and attributes.",
    "Mutation.catalogCreate": "Create a catalog.",
    "Mutation.catalogCreate(input)": "The catalog's name.",
    "Mutation.entityCreate": "Create an entity, validated against its schema.",
    "Mutation.entityCreate(input)": "The entity's schema, attributes and catalogs.",
    "Mutation.entityUpdate": "Change an entity's attributes or catalogs.",
    "Mutation.entityUpdate(id)": "The entity to change.",
    "Mutation.entityUpdate(input)": "What to change; omitted fields stay as they are.",
    "Mutation.entityDelete": "Delete an entity; the channel's deletePolicy decides what happens "
    "to its Shopify product on the next full push.",
    "Mutation.entityDelete(id)": "The entity to delete.",
    "Mutation.channelCreate": "Create a channel; its field mappings are checked against its "
    "schema.",
    "Mutation.channelCreate(input)": "The channel; name and shopDomain are required.",
    "Mutation.channelUpdate": "Change a channel; only the fields given change.",
    "Mutation.channelUpdate(id)": "The channel to change.",
    "Mutation.channelUpdate(input)": "What to change.",
    "Mutation.channelDelete": "Delete a channel and its links; refused while it runs.",
    "Mutation.channelDelete(id)": "The channel to delete.",
    "Mutation.testConnection(channelId)": "The channel whose store and token to try.",
    "Mutation.push(channelId)": "The channel to push.",
    "Mutation.push(entityIds)": "Only these entities; all of the channel's when omitted (only a "
    "full push applies the deletePolicy).",
    "Mutation.push(wait)": "true: answer when the run has finished; false (default): answer at "
    "once with the RUNNING log.",
    "Mutation.pull(channelId)": "The channel to pull.",
    "Mutation.pull(wait)": "true: answer when the run has finished; false (default): answer at "
    "once with the RUNNING log.",
    "Mutation.sync(channelId)": "The channel to sync both ways.",
    "Mutation.sync(wait)": "true: answer when the run has finished; false (default): answer at "
    "once with the RUNNING log.",
    "Mutation.pull(reconcileDeletions)": "Also compare every linked product id with the store "
    "(250 a request) and apply remoteDeletePolicy to the products deleted in Shopify; for "
    "channels without webhooks.",
    "Mutation.sync(reconcileDeletions)": "Also compare every linked product id with the store "
    "and apply remoteDeletePolicy to the products deleted in Shopify.",
    **_payload("SchemaCreatePayload", "creates a schema", "schema"),
    **_payload("CatalogCreatePayload", "creates a catalog", "catalog"),
    **_payload("EntityPayload", "creates or changes an entity", "entity"),
    **_payload("ChannelPayload", "creates or changes a channel", "channel"),
    "DeletePayload": "The result of a delete mutation.",
    "DeletePayload.deletedId": "The id that was deleted; null when there are userErrors.",
    "DeletePayload.userErrors": "Why nothing was deleted; empty on success.",
    "UserError": "Why an input was refused.",
    "UserError.field": 'The path to the input field at fault, e.g. ["fieldMappings", "2", '
    '"field"]; null when no one field is.',
    "UserError.message": "What is wrong, for a person.",
    "UserError.code": "What is wrong, for a program.",
    "SchemaCreateInput": "A new schema.",
    "SchemaCreateInput.name": "Unique name, 1 to 200 characters.",
    "SchemaCreateInput.attributes": "The attribute definitions; keys must be unique.",
    "AttributeInput": "One attribute definition.",
    "AttributeInput.key": "The key entities use: 1 to 64 letters, digits and _, not starting "
    "with a digit.",
    "AttributeInput.type": "What values are accepted.",
    "AttributeInput.label": "A name shown to people.",
    "AttributeInput.required": "Whether every entity must have a non-empty value (default false).",
    "CatalogCreateInput": "A new catalog.",
    "CatalogCreateInput.name": "Unique name, 1 to 200 characters.",
    "EntityCreateInput": "A new entity.",
    "EntityCreateInput.schemaId": "The entity's schema; attributes are checked against it.",
    "EntityCreateInput.attributes": "The values, a JSON object keyed by attribute key.",
    "EntityCreateInput.catalogIds": "The catalogs it joins (none by default).",
    "EntityUpdateInput": "Changes to an entity; omitted fields stay as they are.",
    "ChannelInput": "A channel's settings. channelCreate requires name and shopDomain; "
    "channelUpdate changes only the fields given.",
    "ChannelInput.name": "The name shown to people, 1 to 200 characters.",
    "ChannelInput.shopDomain": "The store: my-store.myshopify.com (a URL is accepted and "
    "normalised).",
    "ChannelInput.apiVersion": "A Shopify Admin API version (YYYY-MM, a supported one); the "
    "newest stable version when omitted on create.",
    "ChannelInput.schemaId": "The schema whose entities are pushed and in which pulled products "
    "are created.",
    "ChannelInput.catalogIds": "Only entities in these catalogs are pushed (all when empty).",
    "ChannelInput.fieldMappings": "Replaces all mappings; empty means the defaults.",
    "ChannelInput.conflictPolicy": "Default LOCAL_WINS.",
    "ChannelInput.deletePolicy": "Default KEEP.",
    "ChannelInput.matchBy": "Default SKU.",
    "ChannelInput.syncSchedule": "When to run a sync (both directions) by itself, in UTC: a "
    "5-field cron expression ('0 3 * * *': daily at 03:00) or an interval 'every N' with m, h "
    "or d ('every 15m'), at least 1 minute. null removes it. A run due while another run of "
    "the channel is going on is skipped, not queued.",
    "ChannelInput.remoteDeletePolicy": "Default UNLINK.",
    "FieldMappingInput": "One mapping of an entity attribute to a Shopify product field.",
    "FieldMappingInput.attribute": "An attribute key of the channel's schema.",
    "FieldMappingInput.field": "A Shopify field of the vocabulary (see FieldMapping.field).",
    "FieldMappingInput.direction": "Default BOTH.",
    "FieldMappingInput.metafieldType": "Only for metafield.* fields; default "
    "single_line_text_field.",
    "TestConnectionPayload": "Whether the channel's store answered with its token.",
    "TestConnectionPayload.ok": "true when Shopify accepted the token and answered.",
    "TestConnectionPayload.message": "What happened, for a person (e.g. why it failed).",
    "TestConnectionPayload.shop": "The store's details when ok.",
    "TestConnectionPayload.userErrors": "Why the test could not be made (unknown channel, no "
    "token).",
    "ShopInfo": "The store as Shopify describes it.",
    "ShopInfo.name": "The shop's name.",
    "ShopInfo.myshopifyDomain": "Its myshopify.com host.",
    "ShopInfo.primaryDomainUrl": "The URL customers see.",
    "ShopInfo.planName": "The Shopify plan (e.g. Basic); higher plans have higher rate limits.",
    "ShopInfo.currencyCode": "The shop's currency (ISO 4217); money values are in it.",
    "ShopInfo.ianaTimezone": "The shop's time zone, e.g. Europe/Paris.",
    "SyncPayload": "The run a push, pull or sync started (or the one that is already going).",
    "SyncPayload.syncLog": "The run: RUNNING (or finished with wait: true). With "
    "SYNC_IN_PROGRESS, the run already going.",
    "SyncPayload.userErrors": "Why no run started; empty when one did.",
}
