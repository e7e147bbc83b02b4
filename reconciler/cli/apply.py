"""`reconciler apply`: plan (or load a saved plan), show it and confirm, apply it with
progress, say how it ended, and leave the journal and metrics asked for."""

from __future__ import annotations

import pathlib

import click

from reconciler import api
from reconciler.cli import options, outfiles, progress
from reconciler.render import runline

_EXAMPLES_APPLY = """\
\b
Examples:
  reconciler apply .                      # show the plan, ask, apply
  reconciler apply plan.json --report apply.json --report-junit apply.xml
  reconciler apply --yes . --selector tier=gold --log-format json --log-level info"""


@click.command("apply", epilog=_EXAMPLES_APPLY)
@options.workspace()
@click.option(
    "--parallelism",
    type=click.IntRange(1, 256),
    help="Requests in flight per API (default: apply.parallelism).",
)
@click.option("--force", is_flag=True, help="Apply even over policy.maxChangePercent.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line on stdout.")
@click.option(
    "--no-reread",
    "--no-verify",
    "no_reread",
    is_flag=True,
    help="Do not re-read and plan again after the calls (apply then cannot prove it "
    "converged). --no-verify is its old name.",
)
@outfiles.journal_options
@outfiles.metrics_option
@click.pass_context
def command(
    ctx: click.Context,
    rec: api.Reconciler,
    scope: api.Scope,
    parallelism: int | None,
    force: bool,
    yes: bool,
    as_json: bool,
    no_reread: bool,
    journal_path: pathlib.Path | None,
    junit_path: pathlib.Path | None,
    metrics_file: pathlib.Path | None,
) -> int:
    """Make the live platforms match the manifests (or apply a saved plan.json)."""
    saved = None
    if len(rec.paths) == 1 and rec.paths[0].suffix == ".json":  # a saved plan: its scope
        saved = api.Plan.load(rec.paths[0])
        rec = api.Reconciler(rec.config_path, saved.paths)
    rec.parallelism = parallelism
    review = progress.Review(ctx, ask=not (yes or saved), as_json=as_json)
    with progress.Reporter(as_json=as_json, color=options.color(ctx, "stderr")) as reporter:
        result = rec.apply(
            saved or scope, force=force, review=review, on_event=reporter, reread=not no_reread
        )
    code = progress.finish(result, as_json=as_json)
    outfiles.journal(journal_path, junit_path, result.journal)
    outfiles.metrics(metrics_file, result.run, success=code == 0, apply=result)
    if not as_json:
        options.note(runline.summary(result.run))
    return code
