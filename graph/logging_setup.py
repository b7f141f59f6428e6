"""Logging for `sigma serve`: plain or JSON lines (SIGMA_LOG_FORMAT), the API's own loggers, run
ids on every record of a run, and secret redaction on every handler (the second line of defence
behind graph.redaction's per-request redaction)."""

import logging
import os
from typing import IO, Any

from graph.log_format import JsonFormatter, PlainFormatter
from graph.redaction import RedactingFilter
from sync.log_context import RunContextFilter

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FORMATS = ("plain", "json")


def build_handler(stream: IO[str], fmt: str = "plain") -> logging.Handler:
    """The one handler: redaction first, so neither format ever sees a token."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.addFilter(RunContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else PlainFormatter(_FORMAT))
    return handler


def log_format(environ: dict[str, str] | None = None) -> str:
    """SIGMA_LOG_FORMAT: `plain` (default) or `json`; anything else is refused at start."""
    value = (environ if environ is not None else os.environ).get("SIGMA_LOG_FORMAT", "") or "plain"
    if value.lower() not in FORMATS:
        raise ValueError(f"SIGMA_LOG_FORMAT must be one of {', '.join(FORMATS)}, not {value!r}")
    return value.lower()


def log_config(level: str = "info", fmt: str = "plain") -> dict[str, Any]:
    """A dictConfig for uvicorn.run(log_config=...): one stream, every handler redacting."""
    handler = {"()": build_handler, "stream": "ext://sys.stderr", "fmt": fmt}
    return {
        "version": 1,
        "disable_existing_loggers": False,
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
    for name in ("sigma", "sigma.api", "sigma.sync", "sigma.schedules"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactingFilter) for f in logger.filters):
            logger.addFilter(RedactingFilter())
