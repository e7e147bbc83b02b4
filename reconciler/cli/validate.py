"""`reconciler validate`: check manifests (and reconciler.yaml) offline."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.config import loader as config_loader
from reconciler.errors import ManifestError
from reconciler.manifest import loader

_EXAMPLES_VALIDATE = (
    "\b\nExamples:\n  reconciler validate .\n  reconciler validate enterprises/sunshine-dental.yaml"
)


@click.command("validate", epilog=_EXAMPLES_VALIDATE)
@options.paths
@options.config
def command(paths: tuple[pathlib.Path, ...], config_path: pathlib.Path | None) -> int:
    """Validate manifests offline and report every problem at once."""
    roots = list(paths) or [pathlib.Path()]
    config = config_loader.load(config_loader.find(config_path, roots))  # offline: may be none
    exclude = config.not_manifests
    try:
        manifests = loader.load(roots, exclude)
    except ManifestError as exc:
        click.echo(str(exc), err=True)
        click.echo(f"validation failed: {_count(exc.count, 'problem')}", err=True)
        return exitcodes.ERROR
    for warning in manifests.warnings:
        click.echo(warning.render(), err=True)
    for file in manifests.skipped:
        click.echo(f"skipped {file}: no apiVersion or kind, not a manifest")
    for enterprise in manifests.state.enterprises.values():
        click.echo(
            f"{enterprise.name}: {_count(len(enterprise.users), 'SMS user')}, "
            f"{_count(len(enterprise.groups), 'SMS group')}, "
            f"{_count(len(enterprise.numbers), 'number')}, "
            f"{_count(len(enterprise.mappings), 'mapping')}"
        )
    click.echo(
        f"ok: {_count(len(manifests.state.enterprises), 'enterprise')} in "
        f"{_count(len(manifests.files), 'file')}"
    )
    return exitcodes.OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
