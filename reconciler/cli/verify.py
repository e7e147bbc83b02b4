"""`reconciler verify`: text every managed number through Connectel and check delivery."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options, records
from reconciler.engine import verify, workspace
from reconciler.engine.run import Run
from reconciler.render import run as render_run
from reconciler.render import verify as render
from reconciler.wire import connectel

_EXAMPLES_VERIFY = """\
\b
Examples:
  reconciler verify . --enterprise sunshine-dental
  reconciler verify . --number +12025550110 --timeout 120"""


@click.command("verify", epilog=_EXAMPLES_VERIFY)
@options.paths
@options.config
@options.scope
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
@records.metrics_option
def command(
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    numbers: tuple[str, ...],
    sender: str,
    text: str,
    timeout: float,
    callback_port: int | None,
    metrics_file: pathlib.Path | None,
) -> int:
    """Send a test SMS to each managed number and report where it landed."""
    settings = verify.Options(
        sender=sender, message=text, timeout=timeout, callback_port=callback_port
    )
    verify.check(settings)
    ws = workspace.load(paths, config_path, enterprises, selectors)
    chosen = verify.choose(ws.desired, numbers)
    with Run(ws.config) as run:
        results = verify.verify_in(run, chosen, settings)
        summary = run.summary("verify")
    click.echo(render.table(results, connectel.cost(text)), nl=False)
    code = exitcodes.OK if all(r.ok for r in results) else exitcodes.ERROR
    records.metrics(metrics_file, summary, success=code == 0)
    options.note(render_run.summary(summary))
    return code
