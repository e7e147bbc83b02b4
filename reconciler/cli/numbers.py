"""`reconciler numbers`: the live inventory with the portal's filters, and
`reconciler numbers missing`: the bulk-upload CSV of what the manifests need."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import workspace
from reconciler.engine.run import Run
from reconciler.render import numbers as render
from reconciler.reports import inventory


@click.command("numbers")
@click.argument(
    "args", nargs=-1, type=click.Path(path_type=pathlib.Path), metavar="[missing] [PATH]..."
)
@options.config
@options.scope
@click.option(
    "--filter",
    "filter_name",
    type=click.Choice(sorted(inventory.FILTERS)),
    help="The portal's advanced searches.",
)
@options.fmt(["table", "csv", "json"], "table")
@options.out("numbers missing: write the CSV here.")
def command(
    args: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    filter_name: str | None,
    fmt: str,
    out: pathlib.Path | None,
) -> int:
    """List the live number inventory, or (`numbers missing`) write the bulk-upload CSV
    of the numbers the manifests use but the inventory cannot serve."""
    find_missing = bool(args) and str(args[0]) == "missing"
    ws = workspace.load(args[1:] if find_missing else args, config_path, enterprises, selectors)
    with Run(ws.config) as run:
        found = run.read(ws.desired)
    for problem in found.failed.values():
        click.echo(f"error: {problem.describe()}", err=True)
    if not find_missing:
        rows = inventory.rows(found, ws.desired, filter_name)
        click.echo(
            {"table": render.table, "csv": render.as_csv, "json": render.as_json}[fmt](rows),
            nl=False,
        )
        return exitcodes.ERROR if found.failed else exitcodes.OK
    items = inventory.missing(found, ws.desired)
    for line in render.missing_lines(items):
        click.echo(line, err=True)
    if items and out is None:
        click.echo(render.upload_csv(items), nl=False)
    elif items and out is not None:
        out.write_text(render.upload_csv(items), encoding="utf-8")
        click.echo(render.MISSING_WROTE.format(out), err=True)
    return exitcodes.ERROR if found.failed else exitcodes.OK
