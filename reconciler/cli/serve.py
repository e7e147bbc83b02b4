"""`reconciler sandbox serve`: the vendor emulator over HTTP, with faults if asked."""

from __future__ import annotations

import pathlib
from typing import Any

import click

from reconciler import api
from reconciler.cli import exitcodes, options
from reconciler.sandbox import faults, server

_EXAMPLES_SERVE = """\
\b
Examples:
  reconciler sandbox serve --port 8080
  reconciler sandbox serve --latency-ms 50 --error-rate 0.05 --rate-limit 20
  reconciler sandbox serve --error-rate 0.2 --random-seed 7"""


@click.command("serve", epilog=_EXAMPLES_SERVE)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@options.sandbox_files
@options.config_here
@options.fault_flags
@click.option(
    "--random-seed",
    type=int,
    help="Draw the fault rates from this seed: the same requests meet the same faults "
    "(by default each serve draws differently).",
)
def serve(
    host: str,
    port: int,
    db: pathlib.Path | None,
    seed: pathlib.Path | None,
    config_path: pathlib.Path | None,
    faults_json: str | None,
    random_seed: int | None,
    **flags: Any,
) -> int:
    """Serve the three APIs over HTTP until interrupted."""
    db_path, seed_path = api.sandbox_files(config_path, db, seed)
    try:
        rules = faults.parse_rules(faults_json)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    flagged = faults.flag_rule(**flags)
    rules += [flagged] if flagged else []
    try:
        sock = server.listen(host, port)
    except OSError as exc:
        raise api.ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    bound = sock.getsockname()[1]
    click.echo(
        f"sandbox listening on http://{host}:{bound} (db {db_path}; /connecttoteams,"
        " /contextsms/api/v2, /connectel/api/v2, /_sandbox)",
        err=True,
    )
    server.serve(sock, db_path, seed_path, rules, random_seed=random_seed)
    return exitcodes.OK
