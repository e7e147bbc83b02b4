"""Files a run leaves behind for CI and monitoring: the apply journal (JSON, JUnit) and the
Prometheus metrics file. Each is written whole to a temporary file in the same directory
and renamed into place, so node_exporter or a CI upload never reads half a file."""

from __future__ import annotations

import os
import pathlib
import tempfile
from collections.abc import Callable
from typing import Any, TypeVar

import click

from reconciler.cli import options

F = TypeVar("F", bound=Callable[..., Any])


def metrics_option(function: F) -> F:
    kind = click.Path(path_type=pathlib.Path, dir_okay=False)
    return click.option(
        "--metrics-file",
        type=kind,
        help="Write the run's metrics here in the Prometheus text format "
        "(for node_exporter's textfile collector: name it *.prom).",
    )(function)


def write(path: pathlib.Path, text: str, what: str) -> None:
    """Write `text` to `path` atomically and say so on stderr."""
    directory = path.parent if str(path.parent) else pathlib.Path()
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        pathlib.Path(temporary).chmod(0o644)
        pathlib.Path(temporary).replace(path)
    except BaseException:
        pathlib.Path(temporary).unlink(missing_ok=True)
        raise
    options.note(f"wrote {what} to {path}")
