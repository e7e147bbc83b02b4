"""`reconciler drift`: report what changed on the live platforms behind git's back."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import workspace
from reconciler.engine.run import Run
from reconciler.render.drift import RENDERERS
from reconciler.reports import drift


@click.command("drift")
@options.paths
@options.config
@options.scope
@options.fmt(sorted(RENDERERS), "text")
@options.out("Write the report here.")
def command(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    fmt: str,
    out: pathlib.Path | None,
) -> int:
    """Compare live state with the manifests. Exit 0 in sync, 2 drift, 1 error."""
    ws = workspace.load(paths, config_path, enterprises, selectors)
    with Run(ws.config) as run:
        planned = run.plan(ws, force=True)
    report = drift.build(planned.plan, planned.live, ws.desired)
    rendered = RENDERERS[fmt](report)
    if out is None:
        click.echo(rendered, nl=False)
    else:
        out.write_text(rendered, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
    if out is not None or fmt != "text":
        click.echo(RENDERERS["text"](report).splitlines()[-1], err=True)
    if report.failed:
        return exitcodes.ERROR
    return exitcodes.OK if report.in_sync else exitcodes.CHANGES
