"""Logging for `sigma serve`: uvicorn's format, the API's own logger, secret redaction on every
handler (the second line of defence behind graph.redaction's per-request redaction)."""

import logging
from typing import Any

from graph.redaction import RedactingFilter

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_config(level: str = "info") -> dict[str, Any]:
    """A dictConfig for uvicorn.run(log_config=...): one stream, every handler redacting."""
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "plain",
        "filters": ["redact"],
        "stream": "ext://sys.stderr",
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactingFilter}},
        "formatters": {"plain": {"format": _FORMAT}},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": "WARNING"},
        "loggers": {
            "uvicorn": {"level": level.upper()},
            "uvicorn.access": {"level": level.upper()},
            "sigma": {"level": level.upper()},
        },
    }


def install_redaction() -> None:
    """Adds the filter to the API's logger itself, so its records are redacted whatever
    handlers the embedding process (tests, another server) configured."""
    # Logger filters apply only to records created on that very logger, not its children.
    for name in ("sigma", "sigma.api", "sigma.sync"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
