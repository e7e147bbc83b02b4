"""`reconciler drift`: report what changed on the live platforms behind git's back, in as
many formats as asked from one read, with the run's cost and metrics."""

from __future__ import annotations

import pathlib
import time

import click

from reconciler.cli import exitcodes, options, records
from reconciler.engine import provenance, workspace
from reconciler.engine.run import Run
from reconciler.errors import UsageError
from reconciler.model.record import Tally
from reconciler.render import run as render_run
from reconciler.render.drift import RENDERERS
from reconciler.reports import drift
from reconciler.reports.run import RunSummary


def _report(value: str) -> tuple[str, pathlib.Path]:
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in RENDERERS or not path:
        raise UsageError(
            f"{value!r}: expected FORMAT=FILE with FORMAT one of {', '.join(sorted(RENDERERS))}",
            "--report",
        )
    return fmt, pathlib.Path(path)


_EXAMPLES_DRIFT = """\
\b
Examples:
  reconciler drift .                      # exit 0 in sync, 2 drift, 1 error
  reconciler drift . --report junit=drift.xml --report html=drift.html
  reconciler drift --merge shard-1.json --merge shard-2.json --format html -o drift.html"""


@click.command("drift", epilog=_EXAMPLES_DRIFT)
@options.paths
@options.config
@options.scope
@options.fmt(sorted(RENDERERS), "text")
@options.out("Write the report here.")
@click.option(
    "--report",
    "reports",
    multiple=True,
    metavar="FORMAT=FILE",
    help="Also write the report in FORMAT to FILE (repeat: every report from one read), "
    "e.g. --report junit=drift.xml --report html=drift.html.",
)
@click.option(
    "--merge",
    "merged",
    multiple=True,
    type=click.Path(path_type=pathlib.Path, dir_okay=False, exists=True),
    metavar="FILE",
    help="Instead of reading the platforms, merge shards' JSON reports (drift --format "
    "json -o FILE) into one report (repeat for each shard).",
)
@records.metrics_option
def command(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    fmt: str,
    out: pathlib.Path | None,
    reports: tuple[str, ...],
    merged: tuple[pathlib.Path, ...],
    metrics_file: pathlib.Path | None,
) -> int:
    """Compare live state with the manifests. Exit 0 in sync, 2 drift, 1 error."""
    extra = [_report(r) for r in reports]
    if merged:
        if paths or enterprises or selectors:
            raise UsageError("--merge reads the shards' reports, not manifests", "--merge")
        shards = [(str(p), drift.load(p.read_text(encoding="utf-8"), str(p))) for p in merged]
        report = drift.merge(shards)
        now = time.time()  # the shards' calls are in their own runs' metrics
        seconds = float((report.run or {}).get("seconds", 0.0))
        summary = RunSummary("drift", now - seconds, now, {}, Tally())
        return _emit(report, summary, fmt, out, extra, metrics_file, quiet=True)
    ws = workspace.load(paths, config_path, enterprises, selectors)
    with Run(ws.config) as run:
        planned = run.plan(ws, force=True)
        summary = run.summary("drift")
    about = provenance.gather(ws.config, ws.paths)
    report = drift.build(planned.plan, planned.live, ws.desired, about, summary.as_dict())
    return _emit(report, summary, fmt, out, extra, metrics_file)


def _emit(
    report: drift.DriftReport,
    summary: RunSummary,
    fmt: str,
    out: pathlib.Path | None,
    extra: list[tuple[str, pathlib.Path]],
    metrics_file: pathlib.Path | None,
    *,
    quiet: bool = False,
) -> int:
    """Write the report in every format asked, the metrics and (unless `quiet`) the run
    line; the exit code: 1 when an enterprise failed, 2 on drift, else 0."""
    rendered = RENDERERS[fmt](report)
    if out is None:
        click.echo(rendered, nl=False)
    else:
        records.write(out, rendered, f"the {fmt} report")
    for kind, path in extra:
        records.write(path, RENDERERS[kind](report), f"the {kind} report")
    if out is not None or fmt != "text":
        click.echo(RENDERERS["text"](report).splitlines()[-1], err=True)
    code = (
        exitcodes.ERROR
        if report.failed
        else (exitcodes.OK if report.in_sync else exitcodes.CHANGES)
    )
    records.metrics(metrics_file, summary, success=code != exitcodes.ERROR, drift=report)
    if not quiet:
        options.note(render_run.summary(summary))
    return code
