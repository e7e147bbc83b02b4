"""`reconciler validate`: check manifests (and reconciler.yaml) offline."""

from __future__ import annotations

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options
from reconciler.render import validation as render

_EXAMPLES_VALIDATE = (
    "\b\nExamples:\n  reconciler validate .\n  reconciler validate enterprises/sunshine-dental.yaml"
)


@click.command("validate", epilog=_EXAMPLES_VALIDATE)
@options.workspace(scoped=False)
@click.option(
    "--verbose",
    "-v",
    is_flag=True,
    help="Also list what discovery left out and why (ignored by git, a virtual "
    "environment, installed packages).",
)
def command(rec: api.Reconciler, verbose: bool) -> int:
    """Validate manifests offline and report every problem at once."""
    found = rec.validate()
    if not found.ok:
        for line in render.failed(found):
            logs.say(line, "error")
        return exitcodes.ERROR
    for warning in found.warnings:
        logs.say(warning.render(), "warning")
    for line in render.summary(found, verbose=verbose):
        click.echo(line)
    return exitcodes.OK
