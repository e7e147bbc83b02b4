"""`reconciler init [DIR]`: write a starter project and say what to run next."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes


@click.command(
    "init",
    epilog="""\b
Examples:
  reconciler init sms-manifests && cd sms-manifests && reconciler plan
  reconciler init .            # here, if none of its files exist yet""",
)
@click.argument(
    "directory",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=pathlib.Path(),
)
def command(directory: pathlib.Path) -> int:
    """Write a starter project: reconciler.yaml (the sandbox), one example enterprise,
    JSON Schemas, .gitignore and a GitHub workflow. Never overwrites a file."""
    written = api.init(directory)
    for path in written:
        click.echo(f"wrote {path}")
    where = [f"cd {directory}"] if directory != pathlib.Path() else []
    click.echo(
        "next:\n"
        + "\n".join(
            f"  {line}"
            for line in [*where, "reconciler validate", "reconciler plan", "reconciler apply"]
        )
    )
    return exitcodes.OK
