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
    shards = rec.shards(by)
    click.echo(json.dumps({"include": shards}, indent=2))
    kind, _, value = by.partition("=")
    count = sum(len(s["enterprises"]) for s in shards)
    if kind == "count" and value.isdigit() and len(shards) < int(value):
        options.note(
            f"note: {len(shards)} shard{'s' if len(shards) != 1 else ''}, not {value}: there "
            f"{'is' if count == 1 else 'are'} only {count} enterprise{'s' if count != 1 else ''}"
        )
    if kind == "label" and all(s["shard"] == f"no-{value}" for s in shards):
        options.note(
            f"note: no enterprise has the label {value!r}: one shard holds all {count} "
            "(metadata.labels names the labels)"
        )
    return exitcodes.OK
