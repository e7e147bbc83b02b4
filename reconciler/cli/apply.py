"""`reconciler apply`: plan (or load a saved plan), confirm, execute, summarize, and leave
the journal and metrics asked for."""

from __future__ import annotations

import pathlib

import click

from reconciler.apply.outcome import Report
from reconciler.cli import options, progress, records
from reconciler.engine import provenance, workspace
from reconciler.engine.run import Run
from reconciler.plan import planfile
from reconciler.plan.model import Plan
from reconciler.render import journal as render_journal
from reconciler.render import run as render_run
from reconciler.render import text
from reconciler.reports import journal

_EXAMPLES_APPLY = """\
\b
Examples:
  reconciler apply .                      # show the plan, ask, apply
  reconciler apply plan.json --report apply.json --report-junit apply.xml
  reconciler apply --yes . --selector tier=gold --log-format json --log-level info"""


@click.command("apply", epilog=_EXAMPLES_APPLY)
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
@click.option(
    "--report",
    "journal_path",
    type=click.Path(path_type=pathlib.Path, dir_okay=False),
    help="Write the apply journal here (JSON: each change, its calls and outcome).",
)
@click.option(
    "--report-junit",
    "junit_path",
    type=click.Path(path_type=pathlib.Path, dir_okay=False),
    help="Write one JUnit test case per change here.",
)
@records.metrics_option
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
    journal_path: pathlib.Path | None,
    junit_path: pathlib.Path | None,
    metrics_file: pathlib.Path | None,
) -> int:
    """Make the live platforms match the manifests (or apply a saved plan.json)."""
    saved_path = planfile.is_saved_plan(paths)
    old = Plan.load(saved_path) if saved_path else None
    if old is not None:
        paths = tuple(pathlib.Path(p) for p in old.paths)
        enterprises, selectors = tuple(e.name for e in old.enterprises), ()
    ws = workspace.load(paths, config_path, enterprises, selectors)
    with Run(ws.config, parallelism=parallelism, exclusive=True) as run:
        plan = run.plan(ws, force=force or bool(old and old.forced)).plan
        if old is not None:
            planfile.check_fresh(old, plan)
        if not as_json:
            colour = options.color(ctx)  # click would strip it from a pipe unless told
            click.echo(text.render(plan, color=colour), nl=False, color=colour)
        if plan.changes and not (yes or old):
            progress.confirm(len(plan.changes))
        report = Report((), 0)
        if plan.changes:
            with progress.Reporter(
                len(plan.changes), as_json=as_json, color=options.color(ctx, "stderr")
            ) as reporter:
                unsubscribe = run.session.telemetry.subscribe(reporter.retried)
                try:
                    report = run.apply(plan, reporter, verify_in=None if no_verify else ws)
                finally:
                    unsubscribe()
        summary = run.summary("apply")
    code = progress.finish(report, plan, summary, as_json=as_json)
    if journal_path or junit_path:
        record = journal.build(plan, report, summary, provenance.gather(ws.config, ws.paths))
        if journal_path:
            records.write(journal_path, render_journal.as_json(record), "the apply journal")
        if junit_path:
            records.write(junit_path, render_journal.junit(record), "the JUnit report")
    records.metrics(
        metrics_file, summary, success=code == 0, report=report, planned=len(plan.changes)
    )
    if not as_json:
        options.note(render_run.summary(summary))
    return code
