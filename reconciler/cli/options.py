"""Options shared by several commands, so each is spelled and documented once."""

from __future__ import annotations

import functools
import os
import pathlib
import re
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import click

from reconciler import api
from reconciler.cli import logs

F = TypeVar("F", bound=Callable[..., Any])


def paths(function: F) -> F:
    decorator = click.argument(
        "paths", nargs=-1, type=click.Path(path_type=pathlib.Path), metavar="[PATH]..."
    )
    return decorator(function)


def _config(default: str) -> Callable[[F], F]:
    return click.option(
        "--config",
        "config_path",
        type=click.Path(path_type=pathlib.Path, dir_okay=False),
        help=f"reconciler.yaml to use (default: {default}).",
    )


# --config for commands that take PATHs: found from the first of them by default
config = _config("in the first PATH, else the current directory")
# --config for commands that take no PATH
config_here = _config("the current directory's, or the nearest above")


def scope(function: F) -> F:
    function = click.option(
        "--exclude-selector",
        "exclude_selectors",
        multiple=True,
        metavar="KEY=VALUE",
        help="Leave out enterprises whose metadata.labels match (repeat: any one excludes).",
    )(function)
    function = click.option(
        "--exclude",
        "excludes",
        multiple=True,
        metavar="NAME",
        help="Leave out this enterprise (metadata.name); repeat for several.",
    )(function)
    function = click.option(
        "--selector",
        "selectors",
        multiple=True,
        metavar="KEY=VALUE",
        help="Only enterprises whose metadata.labels match (repeat: all must match).",
    )(function)
    return click.option(
        "--enterprise",
        "enterprises",
        multiple=True,
        metavar="NAME",
        help="Only this enterprise (metadata.name); repeat for several.",
    )(function)


def workspace(*, scoped: bool = True) -> Callable[[F], F]:
    """[PATH]..., --config and (when `scoped`) --enterprise/--selector, given to the
    command as `rec` (an api.Reconciler on that workspace) and `scope` (an api.Scope)."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def command(
            *args: Any,
            paths: tuple[pathlib.Path, ...],
            config_path: pathlib.Path | None,
            enterprises: tuple[str, ...] = (),
            selectors: tuple[str, ...] = (),
            excludes: tuple[str, ...] = (),
            exclude_selectors: tuple[str, ...] = (),
            **kwargs: Any,
        ) -> Any:
            rec = api.Reconciler(config_path, paths)
            if scoped:
                kwargs["scope"] = api.Scope.parse(
                    enterprises, selectors, excludes, exclude_selectors
                )
            return function(*args, rec=rec, **kwargs)

        decorated = scope(command) if scoped else command
        return paths(config(decorated))  # type: ignore[return-value]

    return decorate


UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}
DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h)")
MIN_INTERVAL = 1.0  # seconds


def duration(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    """`3m`, `90s`, `1h30m`, `2s` (or plain seconds) as seconds; None when not given."""
    if value is None:
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        seconds = float(text)
    elif text and DURATION.sub("", text) == "":
        seconds = sum(float(n) * UNITS[u] for n, u in DURATION.findall(text))
    else:
        raise click.BadParameter(f"{value!r} is not a duration: say e.g. 2s, 90s, 3m or 1h30m")
    if seconds < MIN_INTERVAL:
        raise click.BadParameter(f"{value!r} is under a second: say at least 1s")
    return seconds


WAVES = re.compile(r"^(count=[1-9][0-9]*|label=[^:=]+:[^,]+(,[^,]+)*)$")


def _waves(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not WAVES.fullmatch(value):
        raise click.BadParameter(
            f"{value!r}: expected count=N or label=KEY:VALUE,VALUE,... (the values in order)"
        )
    return value


def rollout(function: F) -> F:
    """apply's --waves, --health, --health-sample, --pause-between-waves."""
    for option in reversed(
        [
            click.option(
                "--waves",
                callback=_waves,
                metavar="count=N|label=KEY:V1,V2",
                help="Apply in waves, each gated on the last one's health: N waves, or one "
                "per label value in order (the unlabeled last). Default: apply.waves.",
            ),
            click.option(
                "--health",
                type=click.Choice(["converge", "verify"]),
                help="The gate after each wave: converge (a re-read plans nothing) or verify "
                "(also a test SMS to the numbers the wave assigned). Default: apply.health.",
            ),
            click.option(
                "--health-sample",
                type=click.IntRange(1, 1000),
                metavar="K",
                help="Numbers texted per enterprise by --health verify (default 3).",
            ),
            click.option(
                "--pause-between-waves",
                "pause",
                callback=duration,
                metavar="DURATION",
                help="Wait between waves: 30s, 10m (default 0).",
            ),
        ]
    ):
        function = option(function)
    return function


def ignore_windows(function: F) -> F:
    """--ignore-windows of plan and apply."""
    decorator = click.option(
        "--ignore-windows",
        is_flag=True,
        help="Change enterprises even outside their policy.changeWindows (the plan and "
        "the journal say so).",
    )
    return decorator(function)


def allow_release(function: F) -> F:
    """--allow-release of plan and apply."""
    decorator = click.option(
        "--allow-release",
        is_flag=True,
        help="Let changes leave numbers with no user, group or mapping (they stop "
        "texting); also apply.allowRelease.",
    )
    return decorator(function)


def fmt(choices: list[str], default: str) -> Callable[[F], F]:
    """--format, one of `choices`."""
    return click.option(
        "--format", "fmt", type=click.Choice(choices), default=default, show_default=True
    )


def out(help_text: str, name: str = "out") -> Callable[[F], F]:
    """-o/--out FILE."""
    kind = click.Path(path_type=pathlib.Path, dir_okay=False)
    return click.option("-o", "--out", name, type=kind, help=help_text)


def sandbox_files(function: F) -> F:
    """--db and --seed of `sandbox serve|reset`."""
    function = click.option(
        "--seed",
        type=click.Path(path_type=pathlib.Path, dir_okay=False, exists=True),
        help="Seed YAML for a new database (default: sandbox.seed of reconciler.yaml).",
    )(function)
    return click.option(
        "--db",
        type=click.Path(path_type=pathlib.Path, dir_okay=False),
        help="SQLite file (default: sandbox.db of reconciler.yaml, else .reconciler/sandbox.db).",
    )(function)


def fault_flags(function: F) -> F:
    """`sandbox serve`'s fault options: --faults, and one rule from the flags."""
    for option in reversed(
        [
            click.option(
                "--faults",
                "faults_json",
                metavar="JSON|@FILE",
                help="Fault rules as for PUT /_sandbox/faults, e.g. "
                '\'[{"route": "/connecttoteams/*", "errorRate": 0.2}]\'.',
            ),
            click.option(
                "--fault-route",
                "route",
                default="/*",
                show_default=True,
                help="Route glob for the flags below.",
            ),
            click.option("--latency-ms", "latency", type=click.FloatRange(0, 60000), default=0),
            click.option("--error-rate", type=click.FloatRange(0, 1), default=0),
            click.option(
                "--error-status",
                "status",
                type=click.Choice(["500", "502", "503", "504"]),
                default="503",
            ),
            click.option("--rate-limit", "rate", type=click.FloatRange(min=0, min_open=True)),
            click.option(
                "--drop-after-commit-rate", "drop", type=click.FloatRange(0, 1), default=0
            ),
            click.option(
                "--slow-rate",
                type=click.FloatRange(0, 1),
                default=0,
                help="Share of requests that take --slow-ms more (a heavy tail).",
            ),
            click.option("--slow-ms", type=click.FloatRange(0, 60000), default=0),
        ]
    ):
        function = option(function)
    return function


def quiet() -> bool:
    """Whether --quiet asked for errors and results only (no progress, notes, run line)."""
    ctx = click.get_current_context(silent=True)
    root = ctx.find_root() if ctx else None
    return bool(root and root.obj and root.obj.get("quiet"))


def note(message: str) -> None:
    """A note for people on stderr (a file written, what the run cost), unless --quiet."""
    if not quiet():
        logs.say(message)


def color(ctx: click.Context, stream: str = "stdout") -> bool:
    """Colour on a terminal, unless --no-color or NO_COLOR (no-color.org) says not;
    FORCE_COLOR asks for it even into a pipe (CI logs that render ANSI)."""
    if not (ctx.obj and ctx.obj.get("color")) or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or getattr(sys, stream).isatty()
