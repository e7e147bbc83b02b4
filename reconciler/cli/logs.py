"""Logging, configured once for the whole command: the `reconciler` loggers only (never
the root logger, so libraries' own records, such as httpx's request lines with their query
strings, stay out), to stderr or a file, as text or one JSON object per line.

What is logged is decided where it happens (every API call at DEBUG on reconciler.api,
rate changes and reads sent again at INFO, retries at WARNING so that a wait shows by
default); records carry their facts in a `fields` extra. Lines for people on stderr go
through `say`, so that with `--log-format json` every line of stderr is JSON.
"""

from __future__ import annotations

import json
import logging
import pathlib
import sys
import time
from typing import Any

import click

from reconciler.render.stamps import iso

LEVELS = ("debug", "info", "warning", "error")
FORMATS = ("text", "json")
_json_stderr = False  # --log-format json with the log on stderr: every stderr line is JSON


def say(message: str, level: str = "info", **fields: Any) -> None:
    """A line for people on stderr (progress, a note, an error): as it is, or, when the
    log is JSON on stderr, one JSON object shaped as the log's records, so that every
    line of stderr parses and a log shipper never chokes."""
    if not _json_stderr:
        click.echo(message, err=True)
        return
    entry = {
        "time": iso(time.time()),
        "level": level,
        "logger": "reconciler.cli",
        "message": message,
        **{k: v for k, v in fields.items() if v is not None},
    }
    click.echo(json.dumps(entry, default=str, ensure_ascii=False), err=True)


def json_stderr() -> bool:
    """Whether stderr carries JSON lines only (no bar, no spinner)."""
    return _json_stderr


def reset() -> None:
    """Plain stderr until a command's options say otherwise."""
    global _json_stderr
    _json_stderr = False


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
    global _json_stderr
    _json_stderr = fmt == "json" and file is None
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
