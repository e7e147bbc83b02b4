"""`reconciler verify`: text every managed number through Connectel and check delivery."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes, options, outfiles
from reconciler.render import delivery as render
from reconciler.render import runline

_EXAMPLES_VERIFY = """\
\b
Examples:
  reconciler verify . --enterprise sunshine-dental
  reconciler verify . --number +12025550110 --timeout 120"""


@click.command("verify", epilog=_EXAMPLES_VERIFY)
@options.workspace()
@click.option(
    "--number", "numbers", multiple=True, metavar="E164", help="Only this number (repeatable)."
)
@click.option(
    "--sender",
    default="Reconciler",
    show_default=True,
    help="Alphanumeric (<= 11) or numeric (<= 20).",
)
@click.option("--message", "text", default="reconciler verify: test message", show_default=True)
@click.option(
    "--timeout",
    type=click.FloatRange(0, 3600),
    default=60,
    show_default=True,
    help="Seconds to wait for final statuses.",
)
@click.option(
    "--callback-port",
    type=click.IntRange(1, 65535),
    help="Take DLR callbacks on this port instead of polling.",
)
@outfiles.metrics_option
def command(
    rec: api.Reconciler,
    scope: api.Scope,
    numbers: tuple[str, ...],
    sender: str,
    text: str,
    timeout: float,
    callback_port: int | None,
    metrics_file: pathlib.Path | None,
) -> int:
    """Send a test SMS to each managed number and report where it landed."""
    found = rec.verify(
        scope,
        numbers=numbers,
        sender=sender,
        message=text,
        timeout=timeout,
        callback_port=callback_port,
    )
    click.echo(render.table(list(found.results), found.cost), nl=False)
    code = exitcodes.OK if found.ok else exitcodes.ERROR
    outfiles.metrics(metrics_file, found.run, success=code == 0)
    options.note(runline.summary(found.run))
    return code
