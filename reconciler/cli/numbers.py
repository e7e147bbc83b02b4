"""`reconciler numbers`: the live inventory with the portal's filters, and
`reconciler numbers missing`: the bulk-upload CSV of what the manifests need."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options, tables
from reconciler.render import numbers as render

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
    type=click.Choice(api.NUMBER_FILTERS),
    help="The portal's advanced searches.",
)
@options.fmt(["table", "csv", "json"], "table")
@options.out("numbers missing: write the CSV here.")
def command(
    args: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    excludes: tuple[str, ...],
    exclude_selectors: tuple[str, ...],
    filter_name: str | None,
    fmt: str,
    out: pathlib.Path | None,
) -> int:
    """List the live number inventory, or (`numbers missing`) write the bulk-upload CSV
    of the numbers the manifests use but the inventory cannot serve."""
    find_missing = bool(args) and str(args[0]) == "missing"
    rec = api.Reconciler(config_path, args[1:] if find_missing else args)
    scope = api.Scope.parse(enterprises, selectors, excludes, exclude_selectors)
    found = rec.numbers(scope, filter=filter_name)
    for problem in found.failed:
        logs.say(f"error: {problem.describe()}", "error")
    code = exitcodes.ERROR if found.failed else exitcodes.OK
    if not find_missing:
        width = tables.width()
        if fmt == "table" and width is not None:
            tables.inventory(list(found.rows), width)
        elif fmt == "table":
            click.echo(render.table(list(found.rows)), nl=False)
        else:
            click.echo(
                (render.as_csv if fmt == "csv" else render.as_json)(list(found.rows)), nl=False
            )
        return code
    for line in render.missing_lines(list(found.missing)):
        logs.say(line)
    if found.missing and out is None:
        click.echo(render.upload_csv(list(found.missing)), nl=False)
    elif found.missing and out is not None:
        out.write_text(render.upload_csv(list(found.missing)), encoding="utf-8")
        logs.say(render.MISSING_WROTE.format(out))
    return code
