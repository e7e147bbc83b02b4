"""`reconciler sandbox`: the emulator's group (serve is in cli/serve.py) and `reset`."""

from __future__ import annotations

import pathlib

import click
import pydantic

from reconciler import api
from reconciler.cli import exitcodes, logs, options
from reconciler.cli.serve import serve
from reconciler.sandbox import server


@click.group("sandbox")
def group() -> None:
    """The embedded emulator of ConnecttoTeams, ContextSMS and Connectel."""


_EXAMPLES_RESET = (
    "\b\nExamples:\n  reconciler sandbox reset\n  reconciler sandbox reset --seed seed.yaml"
)


@group.command("reset", epilog=_EXAMPLES_RESET)
@options.sandbox_files
@options.config_here
def reset(
    db: pathlib.Path | None, seed: pathlib.Path | None, config_path: pathlib.Path | None
) -> int:
    """Start the sandbox over from its seed."""
    db_path, seed_path = api.sandbox_files(config_path, db, seed)
    try:
        server.reset(db_path, seed_path)
    except (OSError, pydantic.ValidationError) as exc:
        raise api.ConfigError(f"cannot reset the sandbox from {seed_path}: {exc}") from None
    click.echo(f"sandbox reset: {db_path}" + (f" from {seed_path}" if seed_path else " (empty)"))
    return exitcodes.OK


group.add_command(serve)


@group.command("clone")
@options.workspace()
@click.option(
    "-o",
    "--out",
    type=click.Path(dir_okay=False, path_type=pathlib.Path),
    required=True,
    help="Write the seed here.",
)
@click.option(
    "--config-out",
    type=click.Path(dir_okay=False, path_type=pathlib.Path),
    help="Also write a reconciler.yaml aimed at the copy (keep it outside the manifests).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8080,
    show_default=True,
    help="The port the copy will be served on (for --config-out).",
)
def clone_command(
    rec: api.Reconciler,
    scope: api.Scope,
    out: pathlib.Path,
    config_out: pathlib.Path | None,
    port: int,
) -> int:
    """Copy the live state of the managed enterprises into a sandbox seed, to rehearse an
    apply on a copy of production before running it for real.

    \b
    Examples:
      reconciler sandbox clone enterprises/ -o rh/seed.yaml --config-out rh/reconciler.yaml
      reconciler sandbox serve --port 8080 --db rh/sandbox.db --seed rh/seed.yaml
      reconciler plan --config rh/reconciler.yaml enterprises/
    """
    cloned = rec.clone(out, scope)
    for problem in cloned.failed:
        logs.say(f"error: {problem.describe()}", "error")
    click.echo(
        f"wrote {out}: {len(cloned.copied)} enterprise(s) copied"
        + (
            f"; not live yet (a rehearsal creates them): {', '.join(cloned.absent)}"
            if cloned.absent
            else ""
        )
    )
    if config_out is not None:
        config_out.parent.mkdir(parents=True, exist_ok=True)
        config_out.write_text(cloned.rehearsal_config(port))
        click.echo(f"wrote {config_out}: aimed at http://127.0.0.1:{port}")
    return exitcodes.ERROR if cloned.failed else exitcodes.OK
