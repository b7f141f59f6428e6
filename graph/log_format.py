"""Log line formats: plain text (the default) or one JSON object per line
(SIGMA_LOG_FORMAT=json), both showing the run's channel and log ids when a record has them."""

import json
import logging
from datetime import UTC, datetime

from db.clock import iso
from sync.log_context import FIELDS


class PlainFormatter(logging.Formatter):
    """The plain format with ` channel_id=… log_id=…` appended when the record has them."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        shown = [f"{name}={getattr(record, name)}" for name in FIELDS if hasattr(record, name)]
        ids = " ".join(shown)
        if not ids:
            return line
        first, newline, rest = line.partition("\n")  # after the message, before a traceback
        return f"{first} [{ids}]{newline}{rest}"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the ids, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": iso(datetime.fromtimestamp(record.created, UTC)),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return json.dumps(entry, default=str)
