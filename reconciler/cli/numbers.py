"""`reconciler numbers`: the live inventory with the portal's filters, and
`reconciler numbers missing`: the bulk-upload CSV of what the manifests need."""

from __future__ import annotations

import os
import pathlib
import shutil
import sys

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import workspace
from reconciler.engine.run import Run
from reconciler.render import numbers as render
from reconciler.reports import inventory

_EXAMPLES_NUMBERS = """\
\b
Examples:
  reconciler numbers . --filter all-unassigned
  reconciler numbers . --format csv > inventory.csv
  reconciler numbers missing . -o upload.csv"""


@click.command("numbers", epilog=_EXAMPLES_NUMBERS)
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
        if fmt == "table" and _width() is not None:
            _terminal_table(rows, _width())
        elif fmt == "table":
            click.echo(render.table(rows), nl=False)
        else:
            click.echo((render.as_csv if fmt == "csv" else render.as_json)(rows), nl=False)
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


def _width() -> int | None:
    """The terminal's width when the table goes to one (or COLUMNS says), else None: a
    file or a pipe gets whole cells."""
    if not sys.stdout.isatty() and not os.environ.get("COLUMNS", "").isdigit():
        return None
    return shutil.get_terminal_size((100, 24)).columns


def _terminal_table(rows: list[inventory.Row], width: int | None) -> None:
    """The table at the terminal's width: a heading per enterprise instead of a column,
    "same" where the manifests want the number where it is, long cells wrapped inside
    their column."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=width, highlight=False, no_color=not sys.stdout.isatty())
    by_enterprise: dict[str, list[list[str]]] = {}
    for enterprise, *cells in render.cells(rows):
        assignee, wanted = cells[-2], cells[-1]
        if wanted != "-" and wanted.split(" ", 2)[-1] == assignee.split(" ", 2)[-1]:
            cells[-1] = "same"
        by_enterprise.setdefault(enterprise, []).append(cells)
    for enterprise, found in by_enterprise.items():
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        for name in render.HEADER[1:]:
            whole = name in ("NUMBER", "CAPABILITIES", "ROUTE")  # short: never broken
            table.add_column(name, no_wrap=whole, overflow="fold")
        for cells in found:
            table.add_row(*cells)
        console.print(enterprise, style="bold", markup=False)
        console.print(table)
    click.echo(render.count(rows))
