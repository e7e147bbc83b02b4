"""`reconciler drift`: report what changed on the live platforms behind git's back, in as
many formats as asked from one read, with the run's cost and metrics."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options, records
from reconciler.engine import provenance, workspace
from reconciler.engine.run import Run
from reconciler.errors import UsageError
from reconciler.render import run as render_run
from reconciler.render.drift import RENDERERS
from reconciler.reports import drift


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
  reconciler drift . --metrics-file /var/lib/node_exporter/textfile/reconciler.prom"""


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
@records.metrics_option
def command(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    fmt: str,
    out: pathlib.Path | None,
    reports: tuple[str, ...],
    metrics_file: pathlib.Path | None,
) -> int:
    """Compare live state with the manifests. Exit 0 in sync, 2 drift, 1 error."""
    extra = [_report(r) for r in reports]
    ws = workspace.load(paths, config_path, enterprises, selectors)
    with Run(ws.config) as run:
        planned = run.plan(ws, force=True)
        summary = run.summary("drift")
    about = provenance.gather(ws.config, ws.paths)
    report = drift.build(planned.plan, planned.live, ws.desired, about, summary.as_dict())
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
    if metrics_file:
        from reconciler.render import metrics  # prometheus_client only when asked

        body = metrics.text(summary, success=code != exitcodes.ERROR, drift=report)
        records.write(metrics_file, body, "metrics")
    click.echo(render_run.summary(summary), err=True)
    return code
