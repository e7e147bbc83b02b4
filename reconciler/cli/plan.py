"""`reconciler plan`: read live state, diff it against the manifests, print the plan."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import exitcodes, logs, options
from reconciler.render import markdown, text

_EXAMPLES_PLAN = """\
\b
Examples:
  reconciler plan .
  reconciler plan . --format markdown -o plan.json > plan.md
  reconciler plan . --enterprise sunshine-dental --show-calls"""


@click.command("plan", epilog=_EXAMPLES_PLAN)
@options.workspace()
@options.fmt(["text", "json", "markdown"], "text")
@options.out("Save the plan as JSON for `reconciler apply PLAN`.")
@click.option("--show-calls", is_flag=True, help="List the API calls under each change.")
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes, 0 when none."
)
@click.option("--force", is_flag=True, help="Plan even over policy.maxChangePercent.")
@options.ignore_windows
@options.allow_release
@click.pass_context
def command(
    ctx: click.Context,
    rec: api.Reconciler,
    scope: api.Scope,
    fmt: str,
    out: pathlib.Path | None,
    show_calls: bool,
    detailed_exitcode: bool,
    force: bool,
    ignore_windows: bool,
    allow_release: bool,
) -> int:
    """Show what apply would change on the live platforms."""
    plan = rec.plan(scope, force=force, ignore_windows=ignore_windows, allow_release=allow_release)
    if fmt == "text":
        colour = options.color(ctx)  # click would strip it from a pipe unless told
        rendered = text.render(plan, color=colour, show_calls=show_calls)
        click.echo(rendered, nl=False, color=colour)
    elif fmt == "json":
        click.echo(plan.to_json(), nl=False)
    else:
        click.echo(markdown.render(plan, rec.provenance()), nl=False)
    if out is not None:
        plan.save(out)
        options.note(f"saved the plan to {out}")
    if plan.failed:
        logs.say(f"error: {text.failures(plan)}", "error")
        return exitcodes.ERROR
    return exitcodes.CHANGES if detailed_exitcode and plan.changes else exitcodes.OK
