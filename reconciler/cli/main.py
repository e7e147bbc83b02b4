"""Entry point: the `reconciler` command group and the single error funnel.

Every command returns an exit code. `main` maps our errors to 1, usage errors to 64
(never 2, which means "changes present"), Ctrl-C to 130 and anything unexpected to 3
with a one-line message (the traceback only with --debug).
"""

from __future__ import annotations

import difflib
import gc
import importlib
import pathlib
import sys
import traceback
from collections.abc import Sequence

import click

from reconciler import __version__
from reconciler.cli import exitcodes, logs, pipe
from reconciler.errors import ReconcilerError, UsageError

# Commands are imported when used: `validate` must not pay for FastAPI, httpx and rich.
COMMANDS = {
    "validate": "reconciler.cli.validate:command",
    "agent": "reconciler.cli.agent:command",
    "history": "reconciler.cli.history:command",
    "plan": "reconciler.cli.plan:command",
    "apply": "reconciler.cli.apply:command",
    "drift": "reconciler.cli.drift:command",
    "doctor": "reconciler.cli.doctor:command",
    "init": "reconciler.cli.init:command",
    "export": "reconciler.cli.export:command",
    "numbers": "reconciler.cli.numbers:command",
    "schema": "reconciler.cli.schema:command",
    "shards": "reconciler.cli.shards:command",
    "verify": "reconciler.cli.verify:command",
    "sandbox": "reconciler.cli.sandbox:group",
}


# What `--help` lists, so that it imports no command (a test keeps one per command).
SUMMARIES = {
    "agent": "Reconcile continuously from git: apply, heal drift, report.",
    "apply": "Make the live platforms match the manifests (or a saved plan).",
    "doctor": "Check each provider: environment, reachability, TLS, reads.",
    "drift": "Compare live state with the manifests.",
    "export": "Write one manifest per live enterprise, ids as pins.",
    "history": "What the agent did, cycle by cycle.",
    "init": "Write a starter project (the sandbox, one example, a workflow).",
    "numbers": "List the live number inventory, or write the missing ones' CSV.",
    "plan": "Show what apply would change on the live platforms.",
    "sandbox": "The embedded emulator of ConnecttoTeams, ContextSMS and Connectel.",
    "schema": "Write JSON Schemas for editors (yaml-language-server) and CI.",
    "shards": "Print a CI matrix splitting the enterprises into shards.",
    "validate": "Validate manifests offline and report every problem at once.",
    "verify": "Send a test SMS to each managed number and report where it landed.",
}


class LazyGroup(click.Group):
    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands and their summaries, without importing a single one."""
        rows = [(name, SUMMARIES.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*COMMANDS, *self.commands])

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """As click's, with the nearest command names suggested for a mistyped one."""
        name = click.utils.make_str(args[0]) if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=2, cutoff=0.6)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint} (reconciler --help lists them)")
        return super().resolve_command(ctx, args)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.commands:
            return self.commands[name]
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command


EXAMPLES = """\b
Examples:
  reconciler init sms-manifests && cd sms-manifests
  reconciler plan . --enterprise sunshine-dental
  reconciler apply --yes . --log-format json --log-level info

\b
Shell completion (bash; zsh and fish alike with zsh_source, fish_source):
  eval "$(_RECONCILER_COMPLETE=bash_source reconciler)"   # in ~/.bashrc"""


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=EXAMPLES,
)
@click.version_option(__version__, prog_name="reconciler")
@click.option("--debug", is_flag=True, help="Show tracebacks of unexpected errors.")
@click.option("--no-color", is_flag=True, help="Plain output even on a terminal.")
@click.option(
    "--quiet", "-q", is_flag=True, help="Errors and results only: no progress, notes or run line."
)
@click.option(
    "--log-format",
    type=click.Choice(logs.FORMATS),
    default="text",
    show_default=True,
    help="Log lines as text or one JSON object per line.",
)
@click.option(
    "--log-level",
    type=click.Choice(logs.LEVELS, case_sensitive=False),
    default="warning",
    show_default=True,
    help="warning: retries (what a run waits for) and problems; info: rate changes and "
    "reads sent again too; debug: every API call.",
)
@click.option(
    "--log-file",
    type=click.Path(path_type=pathlib.Path, dir_okay=False),
    help="Write the log here instead of stderr (appended).",
)
@click.pass_context
def cli(
    ctx: click.Context,
    debug: bool,
    no_color: bool,
    quiet: bool,
    log_format: str,
    log_level: str,
    log_file: pathlib.Path | None,
) -> None:
    """GitOps for SMS in Microsoft Teams: validate, plan, apply and report drift.

    Global options (--debug, --no-color, --quiet, --log-*) go before or after the command."""
    ctx.obj = {"debug": debug, "color": not no_color, "quiet": quiet}
    logs.configure(log_format, log_level, log_file)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the CLI and exit with its code."""
    # A run builds hundreds of thousands of long-lived objects (manifests, live state);
    # with the default threshold (700) the collector re-walks them all the time, which
    # cost a third of a large plan. Imports are frozen out of collection (loading moves
    # them and what it made to the oldest generation) and the threshold raised; cyclic
    # garbage is still collected. At exit, whatever is left is frozen: the interpreter's
    # last collection would walk the whole heap for nothing.
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
    code = run(argv)
    gc.freeze()
    sys.exit(code)


def global_options() -> tuple[set[str], set[str]]:
    """The group's own options (flags, and those taking a value), read from `cli` itself
    so that a new global option moves too; --version stays where it is."""
    flags: set[str] = set()
    values: set[str] = set()
    for param in cli.params:
        if isinstance(param, click.Option) and param.name != "version":
            (flags if param.is_flag else values).update(param.opts)
    return flags, values


def hoist(args: list[str]) -> list[str]:
    """`args` with the global options found after the command moved before it, so
    `reconciler plan --no-color` means what `reconciler --no-color plan` does. Nothing
    after `--` moves."""
    global_flags, global_values = global_options()
    command, i = None, 0
    while i < len(args) and command is None:
        if args[i] in COMMANDS:
            command = i
        i += 2 if args[i] in global_values else 1  # skip an option's value
    if command is None:
        return args
    front, rest, moved = args[:command], [], []
    tail = args[command:]
    i = 0
    while i < len(tail):
        arg = tail[i]
        if arg == "--":
            rest += tail[i:]
            break
        name = arg.split("=", 1)[0]
        if arg in global_flags or (name in global_values and "=" in arg):
            moved.append(arg)
        elif arg in global_values and i + 1 < len(tail):
            moved += [arg, tail[i + 1]]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + moved + rest


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI and return its exit code: the error funnel."""
    args = hoist(list(sys.argv[1:] if argv is None else argv))
    logs.reset()
    pipe.reset()
    try:
        result = cli.main(args=args, prog_name="reconciler", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:  # a UsageError is one (exit 64), the rest exit 1
        if not logs.json_stderr():
            exc.show()
        else:
            logs.say(f"Error: {exc.format_message()}", "error")
        return exitcodes.USAGE if isinstance(exc, click.UsageError) else exitcodes.ERROR
    except UsageError as exc:
        logs.say(f"Error: {exc}", "error")
        return exitcodes.USAGE
    except (KeyboardInterrupt, click.Abort):
        logs.say("interrupted", "error")
        return exitcodes.INTERRUPTED
    except ReconcilerError as exc:
        logs.say(f"error: {exc}", "error")
        return exitcodes.ERROR
    except OSError as exc:  # a path a user gave us: too long, not permitted, a directory
        where = f"{exc.filename}: " if exc.filename else ""
        logs.say(f"error: {where}{exc.strerror or exc}", "error")
        return exitcodes.ERROR
    except Exception as exc:  # the funnel's last resort: never a traceback by default
        if "--debug" in args:
            traceback.print_exc()
        else:
            logs.say(
                f"internal error: {type(exc).__name__}: {exc} "
                "(run with --debug for the traceback, and please report it)",
                "error",
            )
        return exitcodes.INTERNAL
    return result if isinstance(result, int) else exitcodes.OK
