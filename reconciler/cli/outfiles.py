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

from reconciler import api
from reconciler.cli import options
from reconciler.render import journal as render_journal

F = TypeVar("F", bound=Callable[..., Any])
FILE = click.Path(path_type=pathlib.Path, dir_okay=False)


def metrics_option(function: F) -> F:
    return click.option(
        "--metrics-file",
        type=FILE,
        help="Write the run's metrics here in the Prometheus text format "
        "(for node_exporter's textfile collector: name it *.prom).",
    )(function)


def journal_options(function: F) -> F:
    """apply's --report (the journal as JSON) and --report-junit."""
    function = click.option(
        "--report-junit",
        "junit_path",
        type=FILE,
        help="Write one JUnit test case per change here.",
    )(function)
    return click.option(
        "--report",
        "journal_path",
        type=FILE,
        help="Write the apply journal here (JSON: each change, its calls and outcome).",
    )(function)


def journal(
    json_path: pathlib.Path | None, junit_path: pathlib.Path | None, record: dict[str, Any]
) -> None:
    """The apply journal where asked: as JSON, and as JUnit."""
    if json_path:
        write(json_path, render_journal.as_json(record), "the apply journal")
    if junit_path:
        write(junit_path, render_journal.junit(record), "the JUnit report")


def metrics(
    path: pathlib.Path | None,
    run: api.RunSummary,
    *,
    success: bool,
    drift: api.DriftReport | None = None,
    apply: api.ApplyResult | None = None,
) -> None:
    """With --metrics-file, the run's metrics there (prometheus_client is imported only
    then)."""
    if path is None:
        return
    from reconciler.render import metrics as render_metrics

    report, planned = (apply.report, len(apply.plan.changes)) if apply else (None, 0)
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
