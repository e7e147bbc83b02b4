"""Entry point: the `reconciler` command group and the single error funnel.

Every command returns an exit code. `main` maps our errors to 1, usage errors to 64
(never 2, which means "changes present"), Ctrl-C to 130 and anything unexpected to 3
with a one-line message (the traceback only with --debug).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Sequence

import click

from reconciler import __version__
from reconciler.cli import apply, exitcodes, plan, sandbox, schema, validate
from reconciler.errors import ReconcilerError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="reconciler")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.pass_context
def cli(ctx: click.Context, debug: bool, no_color: bool) -> None:
    """GitOps for SMS in Microsoft Teams: validate, plan, apply and report drift."""
    ctx.obj = {"debug": debug, "color": not no_color}


cli.add_command(validate.command)
cli.add_command(plan.command)
cli.add_command(apply.command)
cli.add_command(schema.command)
cli.add_command(sandbox.group)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with its code."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: the error funnel."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        result = cli.main(args=args, prog_name="reconciler", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.UsageError as exc:
        exc.show()
        return exitcodes.USAGE
    except click.ClickException as exc:
        exc.show()
        return exitcodes.ERROR
    except (KeyboardInterrupt, click.Abort):
        click.echo("interrupted", err=True)
        return exitcodes.INTERRUPTED
    except ReconcilerError as exc:
        click.echo(f"error: {exc}", err=True)
        return exitcodes.ERROR
    except Exception as exc:  # the funnel's last resort: never a traceback by default
        if "--debug" in args:
            traceback.print_exc()
        else:
            click.echo(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback, and please report it)",
                err=True,
            )
        return exitcodes.INTERNAL
    return result if isinstance(result, int) else exitcodes.OK
