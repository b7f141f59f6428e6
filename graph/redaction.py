"""Secret input values never leave the process: not in errors, responses or log lines.

graphql-core prints the offending literal into validation messages ("... found: {accessToken:
"shpat_..."}"), and variable coercion prints the value it refused. So every value given to a
secret field of a request, inline or as a variable, is collected and cut out of whatever the
request produces. A logging filter that masks anything shaped like a Shopify token is the
second line of defence for values this module never saw.
"""

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from graphql import DocumentNode, print_ast
from graphql.language import ArgumentNode, Node, ObjectFieldNode, StringValueNode, VariableNode

REDACTED = "[REDACTED]"
# Input fields and arguments whose values are secrets (accessToken, a webhook secret, ...).
_SECRET_NAME = re.compile(r"(token|secret|password|apikey)", re.IGNORECASE)
# Shopify's token prefixes: admin API (shpat_), custom app (shpca_), private app (shppa_),
# shared secret (shpss_). https://shopify.dev/changelog/app-access-tokens-now-have-a-prefix
SHOPIFY_TOKEN = re.compile(r"shp(?:at|ca|pa|ss)_[0-9A-Za-z]+")


def is_secret_name(name: str) -> bool:
    return _SECRET_NAME.search(name) is not None


def _variable_secrets(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, Mapping):
        for item in value.values():
            _variable_secrets(item, found)
    elif isinstance(value, list):
        for item in value:
            _variable_secrets(item, found)
    elif value is not None and not isinstance(value, bool):
        found.add(str(value))


def _secrets_in_variables(value: Any, found: set[str], under_secret: bool = False) -> None:
    """Values under a secret-named key anywhere in the variables."""
    stack: list[tuple[Any, bool]] = [(value, under_secret)]
    while stack:
        item, secret = stack.pop()
        if secret:
            _variable_secrets(item, found)
        elif isinstance(item, Mapping):
            stack.extend((v, isinstance(k, str) and is_secret_name(k)) for k, v in item.items())
        elif isinstance(item, list):
            stack.extend((v, False) for v in item)


def secret_values(document: DocumentNode | None, variables: Mapping[str, Any] | None) -> set[str]:
    """Every value this request gives to a secret field, as text an error could quote."""
    found: set[str] = set()
    variables = variables or {}
    _secrets_in_variables(variables, found)
    if document is not None:
        stack: list[Node] = list(document.definitions)
        while stack:
            node = stack.pop()
            if isinstance(node, ObjectFieldNode | ArgumentNode) and is_secret_name(node.name.value):
                value = node.value
                if isinstance(value, StringValueNode):
                    found.add(value.value)
                if isinstance(value, VariableNode):
                    _variable_secrets(variables.get(value.name.value), found)
                else:
                    found.add(print_ast(value))
            for key in node.keys:
                child = getattr(node, key, None)
                if isinstance(child, Node):
                    stack.append(child)
                elif isinstance(child, tuple | list):
                    stack.extend(c for c in child if isinstance(c, Node))
    found.discard("")
    return found


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    # Longest first, so a secret containing another is removed whole.
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return SHOPIFY_TOKEN.sub(REDACTED, text) if "shp" in text else text


class RedactingFilter(logging.Filter):
    """Masks Shopify-shaped tokens in a record's message and traceback before any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "shp" in message:
            record.msg, record.args = redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text and "shp" in record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
