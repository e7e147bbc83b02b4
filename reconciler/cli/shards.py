"""`reconciler shards`: the estate split for a CI matrix, as JSON."""

from __future__ import annotations

import json

import click

from reconciler import api
from reconciler.cli import exitcodes, options

_EXAMPLES_SHARDS = """\
\b
Examples:
  reconciler shards . --by count=4          # 4 balanced shards, by object count
  reconciler shards . --by label=region     # one shard per region label"""


@click.command("shards", epilog=_EXAMPLES_SHARDS)
@options.workspace(scoped=False)
@click.option(
    "--by",
    required=True,
    metavar="label=KEY|count=N",
    help="One shard per value of a label, or N shards balanced by object count.",
)
def command(rec: api.Reconciler, by: str) -> int:
    """Print a CI matrix ({"include": [...]}) whose entries each select a share of the
    enterprises (their `args` go after plan, apply or drift). Offline."""
    click.echo(json.dumps({"include": rec.shards(by)}, indent=2))
    return exitcodes.OK
