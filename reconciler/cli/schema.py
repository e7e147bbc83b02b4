"""`reconciler schema`: write the JSON Schemas of the manifest and of reconciler.yaml."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes

_EXAMPLES_SCHEMA = """\
\b
Examples:
  reconciler schema -o schemas"""


@click.command("schema", epilog=_EXAMPLES_SCHEMA)
@click.option(
    "-o",
    "--output",
    "directory",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=pathlib.Path("schemas"),
    show_default=True,
    help="Directory to write manifest.schema.json and config.schema.json into.",
)
def command(directory: pathlib.Path) -> int:
    """Write JSON Schemas for editors (yaml-language-server) and CI."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in api.schemas().items():
        (directory / name).write_text(text, encoding="utf-8")
        click.echo(f"wrote {directory / name}")
    return exitcodes.OK
