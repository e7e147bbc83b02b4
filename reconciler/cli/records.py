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

from reconciler.apply.outcome import Report
from reconciler.cli import options
from reconciler.reports.drift import DriftReport
from reconciler.reports.run import RunSummary

F = TypeVar("F", bound=Callable[..., Any])


def metrics_option(function: F) -> F:
    kind = click.Path(path_type=pathlib.Path, dir_okay=False)
    return click.option(
        "--metrics-file",
        type=kind,
        help="Write the run's metrics here in the Prometheus text format "
        "(for node_exporter's textfile collector: name it *.prom).",
    )(function)


def metrics(
    path: pathlib.Path | None,
    run: RunSummary,
    *,
    success: bool,
    drift: DriftReport | None = None,
    report: Report | None = None,
    planned: int = 0,
) -> None:
    """With --metrics-file, the run's metrics there (prometheus_client is imported only
    then)."""
    if path is None:
        return
    from reconciler.render import metrics as render_metrics

    text = render_metrics.text(run, success=success, drift=drift, report=report, planned=planned)
    write(path, text, "metrics")


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
