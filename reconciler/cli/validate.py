"""`reconciler validate`: check manifests (and reconciler.yaml) offline."""

from __future__ import annotations

import click

from reconciler import api
from reconciler.cli import exitcodes, options

_EXAMPLES_VALIDATE = (
    "\b\nExamples:\n  reconciler validate .\n  reconciler validate enterprises/sunshine-dental.yaml"
)


@click.command("validate", epilog=_EXAMPLES_VALIDATE)
@options.workspace(scoped=False)
def command(rec: api.Reconciler) -> int:
    """Validate manifests offline and report every problem at once."""
    found = rec.validate()
    if not found.ok:
        click.echo(found.report, err=True)
        click.echo(f"validation failed: {_count(found.errors, 'problem')}", err=True)
        return exitcodes.ERROR
    for warning in found.warnings:
        click.echo(warning.render(), err=True)
    for file in found.skipped:
        click.echo(f"skipped {file}: no apiVersion or kind, not a manifest")
    for enterprise in found.enterprises.values():
        click.echo(
            f"{enterprise.name}: {_count(len(enterprise.users), 'SMS user')}, "
            f"{_count(len(enterprise.groups), 'SMS group')}, "
            f"{_count(len(enterprise.numbers), 'number')}, "
            f"{_count(len(enterprise.mappings), 'mapping')}"
        )
    click.echo(
        f"ok: {_count(len(found.enterprises), 'enterprise')} in {_count(len(found.files), 'file')}"
    )
    return exitcodes.OK


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
