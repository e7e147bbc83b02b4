"""`reconciler drift`: report what changed on the live platforms behind git's back, in as
many formats as asked from one read, with the run's cost and metrics."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options, outfiles
from reconciler.render import runline
from reconciler.render.drift import RENDERERS


def _report(value: str) -> tuple[str, pathlib.Path]:
    fmt, sep, path = value.partition("=")
    if not sep or fmt not in RENDERERS or not path:
        raise api.UsageError(
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
@options.workspace()
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
@outfiles.metrics_option
def command(
    rec: api.Reconciler,
    scope: api.Scope,
    fmt: str,
    out: pathlib.Path | None,
    reports: tuple[str, ...],
    merged: tuple[pathlib.Path, ...],
    metrics_file: pathlib.Path | None,
) -> int:
    """Compare live state with the manifests. Exit 0 in sync, 2 drift, 1 error."""
    extra = [_report(r) for r in reports]
    if merged and (rec.paths or scope != api.Scope()):
        raise api.UsageError("--merge reads the shards' reports, not manifests", "--merge")
    report = api.merge_drift(merged) if merged else rec.drift(scope)
    rendered = RENDERERS[fmt](report)
    if out is None:
        click.echo(rendered, nl=False)
    else:
        outfiles.write(out, rendered, f"the {fmt} report")
    for kind, path in extra:
        outfiles.write(path, RENDERERS[kind](report), f"the {kind} report")
    if out is not None or fmt != "text":
        logs.say(RENDERERS["text"](report).splitlines()[-1])
    in_sync = exitcodes.OK if report.in_sync else exitcodes.CHANGES
    code = exitcodes.ERROR if report.failed else in_sync
    assert report.cost is not None  # a report just made or merged knows what it cost
    outfiles.metrics(metrics_file, report.cost, success=code != exitcodes.ERROR, drift=report)
    if not merged:  # the shards' runs said what they cost
        options.note(runline.summary(report.cost))
    return code
