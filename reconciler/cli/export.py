"""`reconciler export`: write today's live state as manifests (and a config skeleton)."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options

_EXAMPLES_EXPORT = """\
\b
Examples:
  reconciler export --enterprise 'Sunshine Dental' -o manifests/
  reconciler export --csp CSP0000003 -o manifests/"""


@click.command("export", epilog=_EXAMPLES_EXPORT)
@options.config_here
@click.option(
    "--enterprise",
    "names",
    multiple=True,
    metavar="NAME",
    help="Only this enterprise (name or manifest name); repeatable.",
)
@click.option(
    "--enterprise-id",
    "ids",
    multiple=True,
    type=int,
    metavar="ID",
    help="Only this ConnecttoTeams enterprise id; repeatable.",
)
@click.option(
    "--csp", metavar="CSP_ID", help="Also export ContextSMS enterprises and mappings of this CSP."
)
@click.option(
    "-o",
    "--out",
    "directory",
    type=click.Path(path_type=pathlib.Path, file_okay=False),
    default=pathlib.Path(),
    show_default=True,
)
def command(
    config_path: pathlib.Path | None,
    names: tuple[str, ...],
    ids: tuple[int, ...],
    csp: str | None,
    directory: pathlib.Path,
) -> int:
    """Write one manifest per live enterprise, in the manifest format, ids as pins."""
    rec = api.Reconciler(config_path)
    exported = rec.export(directory, enterprises=names, enterprise_ids=ids, csp=csp)
    for note in exported.notes:
        logs.say(f"note: {note}", "warning")
    for line in exported.done:
        if line.startswith("kept"):
            logs.say(line)
        else:
            click.echo(line)
    for problem in exported.failed:
        logs.say(f"error: {problem.describe()}", "error")
    return exitcodes.ERROR if exported.failed else exitcodes.OK
