"""The identity metafield definition: created once per store, and checked when it exists.

productSet's customId upsert only works on a definition with unique values
(https://shopify.dev/docs/apps/build/custom-data/metafields/working-with-custom-ids). The
capability can only be set on a definition that has no metafields yet
(https://shopify.dev/changelog/adding-unique-values-to-metafields), so a store where
`sigma.entity_id` values exist without a definition (UNSTRUCTURED_ALREADY_EXISTS), or where
someone defined it with another type or without unique values, cannot be fixed by the run: it
stops with one error that says what to do, instead of failing every create on its own.
"""

from typing import Any

from sync.identity import IDENTITY_DEFINITION, IDENTITY_KEY, IDENTITY_NAMESPACE, IDENTITY_TYPE
from sync.shopify import documents
from sync.shopify.cost import MUTATION_COST
from sync.shopify.errors import GraphQLErrorEntry, ShopifyGraphQLError, ShopifyRunError
from sync.shopify.records import UserError
from sync.shopify.transport import GraphQLTransport

_NAME = f"{IDENTITY_NAMESPACE}.{IDENTITY_KEY}"
_WHERE = "Shopify admin > Settings > Custom data > Products"


class IdentityDefinitionError(ShopifyRunError):
    """The store's `sigma.entity_id` definition cannot key creates: a person must fix it."""


def _unstructured() -> IdentityDefinitionError:
    return IdentityDefinitionError(
        f"products in this store already carry {_NAME} metafields without a metafield "
        "definition, and Shopify allows unique values only on a definition without values: "
        f"remove those {_NAME} metafields (they were not written by this channel's definition), "
        "then run again; Sigma creates the definition with unique values and writes them anew"
    )


def _wrong(found: str) -> IdentityDefinitionError:
    return IdentityDefinitionError(
        f"the store's metafield definition {_NAME} is {found}, but Sigma needs a "
        f"{IDENTITY_TYPE} definition with unique values to recognise the products "
        f"it created: in {_WHERE}, delete the definition {_NAME} with its values, then run "
        "again; the products stay linked through Sigma's mappings"
    )


def check_definition(node: dict[str, Any] | None) -> None:
    """Raise IdentityDefinitionError unless the definition can key a customId upsert."""
    if node is None:
        # TAKEN yet nothing to read: most likely the namespace/key is held by values without a
        # definition, which is the unstructured case.
        raise _unstructured()
    type_name = str((node.get("type") or {}).get("name") or "")
    unique = bool(((node.get("capabilities") or {}).get("uniqueValues") or {}).get("enabled"))
    # Shopify enforces a definition's type on every value written under it
    # (https://shopify.dev/docs/api/admin-graphql/latest/queries/metafieldDefinitionTypes), and
    # we write single_line_text_field values: another type, even `id`, would refuse them.
    if type_name != IDENTITY_TYPE:
        raise _wrong(f"of type {type_name or 'unknown'}")
    if not unique:
        raise _wrong(f"of type {type_name} without unique values")


async def ensure_identity_definition(transport: GraphQLTransport) -> bool:
    """Create the definition; True when created now, False when a usable one existed."""
    data = await transport.execute(
        documents.METAFIELD_DEFINITION_CREATE_MUTATION,
        {"definition": IDENTITY_DEFINITION},
        estimated_cost=MUTATION_COST,
    )
    payload = data.get("metafieldDefinitionCreate") or {}
    errors = [UserError.from_node(e) for e in payload.get("userErrors") or []]
    if not errors:
        return True
    codes = {error.code for error in errors}
    if "UNSTRUCTURED_ALREADY_EXISTS" in codes:
        raise _unstructured()
    if codes == {"TAKEN"}:
        found = await transport.execute(
            documents.PRODUCT_METAFIELD_DEFINITION_QUERY,
            {"namespace": IDENTITY_NAMESPACE, "key": IDENTITY_KEY},
            estimated_cost=3,
        )
        nodes = (found.get("metafieldDefinitions") or {}).get("nodes") or []
        check_definition(nodes[0] if nodes else None)
        return False
    raise ShopifyGraphQLError(
        [
            GraphQLErrorEntry(f"cannot create metafield definition {_NAME}: {e}", e.code)
            for e in errors
        ]
    )
