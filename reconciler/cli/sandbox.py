"""`reconciler sandbox`: the emulator's group (serve is in cli/serve.py) and `reset`."""

from __future__ import annotations

import pathlib

import click
import pydantic

from reconciler.cli import exitcodes, options
from reconciler.cli.serve import serve
from reconciler.engine import workspace
from reconciler.errors import ConfigError
from reconciler.sandbox import server


@click.group("sandbox")
def group() -> None:
    """The embedded emulator of ConnecttoTeams, ContextSMS and Connectel."""


@group.command("reset")
@options.sandbox_files
@options.config
def reset(
    db: pathlib.Path | None, seed: pathlib.Path | None, config_path: pathlib.Path | None
) -> int:
    """Start the sandbox over from its seed."""
    db_path, seed_path = workspace.sandbox_files(config_path, db, seed)
    try:
        server.reset(db_path, seed_path)
    except (OSError, pydantic.ValidationError) as exc:
        raise ConfigError(f"cannot reset the sandbox from {seed_path}: {exc}") from None
    click.echo(f"sandbox reset: {db_path}" + (f" from {seed_path}" if seed_path else " (empty)"))
    return exitcodes.OK


group.add_command(serve)
