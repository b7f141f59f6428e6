"""The identity metafield: the one place that says where a product records its PIM entity.

Every product we create or link carries `sigma.entity_id = <entity id>` on a metafield definition
with unique values, so `productSet(identifier: {customId: ...})` upserts instead of duplicating and
`productByIdentifier` finds the product again after a lost reply
(https://shopify.dev/docs/apps/build/custom-data/metafields/working-with-custom-ids).

Why not the app-reserved namespace (`$app:sigma`, which merchants cannot edit): customId accepts
it (UniqueMetafieldValueInput.namespace: "If omitted, the app-reserved namespace will be used"),
but reads return it resolved as `app--<api client id>--sigma`, which differs per app
installation, and stores synced before carry `sigma.entity_id`: switching would make every
existing product unknown to the customId upsert, i.e. a duplicate on its next create. Keeping one
merchant-visible namespace is the safer default; changing it means changing the constants below
plus a migration of the existing metafields, nothing else.
"""

from typing import Any

IDENTITY_NAMESPACE = "sigma"
IDENTITY_KEY = "entity_id"
IDENTITY_TYPE = "single_line_text_field"
IDENTITY_DEFINITION: dict[str, Any] = {
    "name": "Sigma entity ID",
    "namespace": IDENTITY_NAMESPACE,
    "key": IDENTITY_KEY,
    "description": "The Sigma PIM entity this product is synced with.",
    "type": IDENTITY_TYPE,
    "ownerType": "PRODUCT",
    "capabilities": {"uniqueValues": {"enabled": True}},
}


def identity_identifier(entity_id: str) -> dict[str, Any]:
    """The productSet/productByIdentifier identifier for a PIM entity's unique metafield."""
    return {"customId": {"namespace": IDENTITY_NAMESPACE, "key": IDENTITY_KEY, "value": entity_id}}


def identity_metafield(entity_id: str) -> dict[str, str]:
    """The MetafieldInput of a product's identity (without ownerId)."""
    return {
        "namespace": IDENTITY_NAMESPACE,
        "key": IDENTITY_KEY,
        "type": IDENTITY_TYPE,
        "value": entity_id,
    }
