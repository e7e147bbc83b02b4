"""`reconciler apply`: plan (or load a saved plan), confirm, execute, summarize."""

from __future__ import annotations

import pathlib

import click

from reconciler.apply.outcome import Report
from reconciler.cli import options, progress
from reconciler.engine import saved, workspace
from reconciler.engine.run import Run
from reconciler.render import text


@click.command("apply")
@options.paths
@options.config
@options.scope
@click.option(
    "--parallelism",
    type=click.IntRange(1, 256),
    help="Requests in flight per API (default: apply.parallelism).",
)
@click.option("--force", is_flag=True, help="Apply even over policy.maxChangePercent.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line on stdout.")
@click.option(
    "--no-verify",
    is_flag=True,
    help="Do not re-read and plan again after the calls (apply then cannot prove it converged).",
)
@click.pass_context
def command(
    ctx: click.Context,
    paths: tuple[pathlib.Path, ...],
    config_path: pathlib.Path | None,
    enterprises: tuple[str, ...],
    selectors: tuple[str, ...],
    parallelism: int | None,
    force: bool,
    yes: bool,
    as_json: bool,
    no_verify: bool,
) -> int:
    """Make the live platforms match the manifests (or apply a saved plan.json)."""
    old = saved.load(paths)
    if old is not None:
        (paths, enterprises), selectors = saved.scope(old), ()
    ws = workspace.load(paths, config_path, enterprises, selectors)
    with Run(ws.config, parallelism=parallelism, exclusive=True) as run:
        plan = run.plan(ws, force=force or bool(old and old.forced)).plan
        if old is not None:
            saved.check_fresh(old, plan, ws.manifests.digest)
        if not as_json:
            click.echo(text.render(plan, color=options.color(ctx)), nl=False)
        if plan.changes and not (yes or old):
            progress.confirm(len(plan.changes))
        report = Report((), 0)
        if plan.changes:
            with progress.Reporter(
                len(plan.changes), as_json=as_json, color=options.color(ctx, "stderr")
            ) as reporter:
                report = run.apply(plan, reporter, verify_in=None if no_verify else ws)
    return progress.finish(report, plan, as_json=as_json)
