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
  reconciler init .            # here, if none of its files exist yet
  reconciler init . --skip-existing   # here, keeping the files that exist""",
)
@click.argument(
    "directory",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=pathlib.Path(),
)
@click.option(
    "--skip-existing",
    is_flag=True,
    help="Keep the starter project's files that exist already and write the rest.",
)
def command(directory: pathlib.Path, skip_existing: bool) -> int:
    """Write a starter project: reconciler.yaml (the sandbox), one example enterprise,
    JSON Schemas, .gitignore and a GitHub workflow. Never overwrites a file: a
    .gitignore that exists gets the lines it lacks."""
    done = api.init(directory, skip_existing=skip_existing)
    for path in done.written:
        click.echo(f"wrote {path}")
    for path in done.merged:
        click.echo(f"added to {path}")
    for path in done.kept:
        click.echo(f"kept the existing {path}")
    where = [f"cd {directory}"] if directory != pathlib.Path() else []
    click.echo(
        "next:\n"
        + "\n".join(
            f"  {line}"
            for line in [*where, "reconciler validate", "reconciler plan", "reconciler apply"]
        )
    )
    return exitcodes.OK
