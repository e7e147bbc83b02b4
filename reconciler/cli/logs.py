"""Logging, configured once for the whole command: the `reconciler` loggers only (never
the root logger, so libraries' own records, such as httpx's request lines with their query
strings, stay out), to stderr or a file, as text or one JSON object per line.

What is logged is decided where it happens (every API call at DEBUG on reconciler.api,
retries and rate changes at INFO); records carry their facts in a `fields` extra.
"""

from __future__ import annotations

import json
import logging
import pathlib
import sys
from typing import Any

from reconciler.render.values import iso

LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": iso(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class Text(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", {})
        where = "/".join(str(fields[k]) for k in ("enterprise", "change") if fields.get(k))
        line = f"{iso(record.created)} {record.levelname:<7} {record.name}: "
        line += (f"[{where}] " if where else "") + record.getMessage()
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure(fmt: str, level: str, file: pathlib.Path | None) -> None:
    logger = logging.getLogger("reconciler")
    for old in list(logger.handlers):  # a second configure (tests run many commands)
        logger.removeHandler(old)
        old.close()
    handler: logging.Handler
    if file is None:
        handler = logging.StreamHandler(sys.stderr)
    else:
        handler = logging.FileHandler(file, encoding="utf-8")
    handler.setFormatter(JsonLines() if fmt == "json" else Text())
    logger.addHandler(handler)
    logger.setLevel(level.upper())
    logger.propagate = False
