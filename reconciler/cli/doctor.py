"""`reconciler doctor`: is every configured provider ready, before any write?"""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import doctor, workspace
from reconciler.errors import ReconcilerError
from reconciler.render import doctor as render

_EXAMPLES_DOCTOR = (
    "\b\nExamples:\n  reconciler doctor .\n  reconciler doctor . --format json > doctor.json"
)


@click.command("doctor", epilog=_EXAMPLES_DOCTOR)
@options.paths
@options.config
@options.fmt(["table", "json"], "table")
def command(paths: tuple[pathlib.Path, ...], config_path: pathlib.Path | None, fmt: str) -> int:
    """Check each configured provider: environment variables, reachability and TLS,
    credentials, and every read of the endpoint map (documented or assumed) answering the
    shape reconciler expects. Read-only. The manifests under PATH, when valid, say which
    enterprise and CSP to read.

    \b
    Examples:
      reconciler doctor
      reconciler doctor examples/ --format json
    """
    config = workspace.config(config_path, paths)
    try:
        desired = workspace.load(paths, config_path).desired
    except ReconcilerError as exc:
        first = str(exc).splitlines()[0]
        click.echo(f"note: manifests not used ({first})", err=True)
        desired = None
    found = doctor.diagnose(config, desired)
    click.echo(render.table(found) if fmt == "table" else render.as_json(found), nl=False)
    return exitcodes.OK if found.ok else exitcodes.ERROR
