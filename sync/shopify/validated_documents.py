"""Which of our documents are valid against which vendored schema, worked out ahead of time.

Validating a document needs the parsed Admin schema, and parsing it costs a second of CPU and
about 70 MB of memory in every process that talks to Shopify (a quarter of an engine's peak in
a 100,000-product run), although the client only ever sends the constant documents of
sync.shopify.documents. So the validation of those documents is done once, here, against every
schema a channel can use, and its result is shipped beside the schemas
(`schema/validated-documents.json`): per schema, named by the hash of its file(s), the SHA-256 of
the printed text of each document that validated without error.

At run time (sync.shopify.gql_client) a document whose text and schema are listed is accepted
without parsing the schema; anything else (a document built at run time, a document edited
since, a refreshed schema file) is validated against the parsed schema as before, so a document
the schema refuses is still never sent. tests/shopify/test_validated_documents.py fails when the
file is not what `python -m sync.shopify.validated_manifest` writes today.
"""

import hashlib
import json
from functools import cache
from importlib import resources

from graphql import DocumentNode, print_ast

from sync.shopify.admin_schema import SCHEMA_PACKAGE, SchemaChoice

MANIFEST = "validated-documents.json"


def document_hash(document: DocumentNode) -> str:
    return hashlib.sha256(print_ast(document).encode()).hexdigest()


@cache
def _manifest() -> dict[str, frozenset[str]]:
    try:
        text = resources.files(SCHEMA_PACKAGE).joinpath(MANIFEST).read_text()
    except FileNotFoundError:
        return {}
    return {key: frozenset(hashes) for key, hashes in json.loads(text)["schemas"].items()}


def known_valid(choice: SchemaChoice, document: DocumentNode) -> bool:
    """True when `document` validated against exactly this schema ahead of time."""
    listed = _manifest().get(choice.key)
    return listed is not None and document_hash(document) in listed
