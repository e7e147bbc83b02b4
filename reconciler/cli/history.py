"""`reconciler history`: read the agent's history (its SQLite file) and render its cycles,
newest first, as text or JSON."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import options
from reconciler.render import history as render

_EXAMPLES_HISTORY = """\
\b
Examples:
  reconciler history                          # the last 20 cycles
  reconciler history --enterprise sunshine-dental --limit 5
  reconciler history --format json --database /var/lib/reconciler/history.db"""


@click.command("history", epilog=_EXAMPLES_HISTORY)
@click.option("--enterprise", metavar="NAME", help="Only cycles that concern this enterprise.")
@click.option(
    "--limit", type=click.IntRange(1, 100_000), default=20, show_default=True, help="Cycles."
)
@options.fmt(["text", "json"], "text")
@click.option(
    "--database",
    type=click.Path(path_type=pathlib.Path, dir_okay=False),
    help="The agent's history file (default: agent.database of reconciler.yaml under --state).",
)
@click.option(
    "--state",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=".reconciler/agent",
    show_default=True,
    help="The agent's --state directory.",
)
@options.config_here
def command(
    enterprise: str | None,
    limit: int,
    fmt: str,
    database: pathlib.Path | None,
    state: pathlib.Path,
    config_path: pathlib.Path | None,
) -> int:
    """What the agent did, cycle by cycle: revision, outcome, and per enterprise its
    status, changes and drift (JSON adds each apply's journal)."""
    from reconciler.agent import history

    if database is None:
        database = state / api.Reconciler(config_path).config().settings.agent.database
    with history.open_existing(database) as found:
        cycles = found.cycles(enterprise=enterprise, limit=limit)
    click.echo(render.text(cycles) if fmt == "text" else render.document(cycles), nl=False)
    return 0
