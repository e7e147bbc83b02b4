"""`reconciler sandbox serve|reset`: run the vendor emulator over HTTP, or start it over."""

from __future__ import annotations

import json
import pathlib
from typing import Any

import click
import pydantic

from reconciler.cli import exitcodes, options
from reconciler.config import loader as config_loader
from reconciler.errors import ConfigError
from reconciler.sandbox import server
from reconciler.sandbox.faults import FaultRule


@click.group("sandbox")
def group() -> None:
    """The embedded emulator of ConnecttoTeams, ContextSMS and Connectel."""


def _files(
    config_path: pathlib.Path | None, db: pathlib.Path | None, seed: pathlib.Path | None
) -> tuple[pathlib.Path, pathlib.Path | None]:
    """--db/--seed, else those of reconciler.yaml (found as usual), else the defaults."""
    config = config_loader.load(config_loader.find(config_path, []))
    return db or config.db_path, seed or config.seed_path


def _seed_option(function: Any) -> Any:
    return click.option(
        "--seed",
        type=click.Path(path_type=pathlib.Path, dir_okay=False, exists=True),
        help="Seed YAML for a new database (default: sandbox.seed of reconciler.yaml).",
    )(function)


def _db_option(function: Any) -> Any:
    return click.option(
        "--db",
        type=click.Path(path_type=pathlib.Path, dir_okay=False),
        help="SQLite file (default: sandbox.db of reconciler.yaml, else .reconciler/sandbox.db).",
    )(function)


@group.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option(
    "--port",
    default=8080,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="0: any free port.",
)
@_db_option
@_seed_option
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
    db_path, seed_path = _files(config_path, db, seed)
    rules = _faults(faults_json)
    if latency_ms or error_rate or rate_limit or drop_after_commit_rate:
        rules.append(
            FaultRule(
                route=fault_route,
                latencyMs=latency_ms,
                errorRate=error_rate,
                errorStatus=int(error_status),
                rateLimitPerSecond=rate_limit,
                dropAfterCommitRate=drop_after_commit_rate,
            )
        )
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


def _faults(text: str | None) -> list[FaultRule]:
    if not text:
        return []
    if text.startswith("@"):
        text = pathlib.Path(text[1:]).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
        return pydantic.TypeAdapter(list[FaultRule]).validate_python(data)
    except (ValueError, pydantic.ValidationError) as exc:
        raise click.BadParameter(
            f"not a list of fault rules: {exc}", param_hint="--faults"
        ) from None


@group.command("reset")
@_db_option
@_seed_option
@options.config
def reset(
    db: pathlib.Path | None, seed: pathlib.Path | None, config_path: pathlib.Path | None
) -> int:
    """Start the sandbox over from its seed."""
    db_path, seed_path = _files(config_path, db, seed)
    try:
        server.reset(db_path, seed_path)
    except (OSError, pydantic.ValidationError) as exc:
        raise ConfigError(f"cannot reset the sandbox from {seed_path}: {exc}") from None
    click.echo(f"sandbox reset: {db_path}" + (f" from {seed_path}" if seed_path else " (empty)"))
    return exitcodes.OK
