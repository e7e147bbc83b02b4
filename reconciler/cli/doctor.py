"""`reconciler doctor`: is every configured provider ready, before any write?"""

from __future__ import annotations

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options
from reconciler.render import diagnosis as render


@click.command("doctor")
@options.workspace(scoped=False)
@options.fmt(["table", "json"], "table")
def command(rec: api.Reconciler, fmt: str) -> int:
    """Check each configured provider: environment variables, reachability and TLS,
    credentials, and every read of the endpoint map (documented or assumed) answering the
    shape reconciler expects. Read-only. The manifests under PATH, when valid, say which
    enterprise and CSP to read.

    \b
    Examples:
      reconciler doctor
      reconciler doctor examples/ --format json
    """
    found = rec.doctor()
    for note in found.notes:
        logs.say(f"note: {note}")
    click.echo(render.table(found) if fmt == "table" else render.as_json(found), nl=False)
    return exitcodes.OK if found.ok else exitcodes.ERROR
