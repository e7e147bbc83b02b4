"""`reconciler shards`: the estate split for a CI matrix, as JSON."""

from __future__ import annotations

import json
import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import workspace
from reconciler.reports import shards

_EXAMPLES_SHARDS = """\
\b
Examples:
  reconciler shards . --by count=4          # 4 balanced shards, by object count
  reconciler shards . --by label=region     # one shard per region label"""


@click.command("shards", epilog=_EXAMPLES_SHARDS)
@options.paths
@options.config
@click.option(
    "--by",
    required=True,
    metavar="label=KEY|count=N",
    help="One shard per value of a label, or N shards balanced by object count.",
)
def command(paths: tuple[pathlib.Path, ...], config_path: pathlib.Path | None, by: str) -> int:
    """Print a CI matrix ({"include": [...]}) whose entries each select a share of the
    enterprises (their `args` go after plan, apply or drift). Offline."""
    ws = workspace.load(paths, config_path)
    click.echo(json.dumps({"include": shards.shards(ws.desired, by)}, indent=2))
    return exitcodes.OK
