"""`reconciler sandbox serve`: the vendor emulator over HTTP, with faults if asked."""

from __future__ import annotations

import pathlib

import click

from reconciler.cli import exitcodes, options
from reconciler.engine import workspace
from reconciler.errors import ConfigError
from reconciler.sandbox import faults, server


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@options.sandbox_files
@options.config
@click.option(
    "--faults",
    "faults_json",
    metavar="JSON|@FILE",
    help='Fault rules as for PUT /_sandbox/faults, e.g. \'[{"route": "/connecttoteams/*", '
    '"errorRate": 0.2}]\'.',
)
@click.option(
    "--fault-route", default="/*", show_default=True, help="Route glob for the flags below."
)
@click.option("--latency-ms", type=click.FloatRange(0, 60000), default=0)
@click.option("--error-rate", type=click.FloatRange(0, 1), default=0)
@click.option("--error-status", type=click.Choice(["500", "502", "503", "504"]), default="503")
@click.option("--rate-limit", type=click.FloatRange(min=0, min_open=True), default=None)
@click.option("--drop-after-commit-rate", type=click.FloatRange(0, 1), default=0)
def serve(
    host: str,
    port: int,
    db: pathlib.Path | None,
    seed: pathlib.Path | None,
    config_path: pathlib.Path | None,
    faults_json: str | None,
    fault_route: str,
    latency_ms: float,
    error_rate: float,
    error_status: str,
    rate_limit: float | None,
    drop_after_commit_rate: float,
) -> int:
    """Serve the three APIs over HTTP until interrupted."""
    db_path, seed_path = workspace.sandbox_files(config_path, db, seed)
    try:
        rules = faults.parse_rules(faults_json)
    except (OSError, ValueError) as exc:
        raise click.BadParameter(str(exc), param_hint="--faults") from None
    flags = faults.flag_rule(
        fault_route, latency_ms, error_rate, int(error_status), rate_limit, drop_after_commit_rate
    )
    rules += [flags] if flags else []
    try:
        sock = server.listen(host, port)
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    bound = sock.getsockname()[1]
    click.echo(
        f"sandbox listening on http://{host}:{bound} (db {db_path}; /connecttoteams,"
        " /contextsms/api/v2, /connectel/api/v2, /_sandbox)",
        err=True,
    )
    server.serve(sock, db_path, seed_path, rules)
    return exitcodes.OK
