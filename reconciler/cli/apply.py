"""`reconciler apply`: plan (or load a saved plan), show it and confirm, apply it with
progress, say how it ended, and leave the journal and metrics asked for."""

from __future__ import annotations

import dataclasses
import pathlib

import click

from reconciler import api
from reconciler.cli import options, outfiles, progress
from reconciler.cli.interrupt import Interrupts
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
@options.ignore_windows
@options.allow_release
@options.rollout
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
@click.option(
    "--revision",
    metavar="SHA",
    help="Apply the manifests as they were at this commit (or any git revision) of their "
    "repository, with today's reconciler.yaml: a rollback, done the GitOps way.",
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
    ignore_windows: bool,
    allow_release: bool,
    waves: str | None,
    health: str | None,
    health_sample: int | None,
    pause: float | None,
    yes: bool,
    as_json: bool,
    no_reread: bool,
    revision: str | None,
    journal_path: pathlib.Path | None,
    junit_path: pathlib.Path | None,
    metrics_file: pathlib.Path | None,
) -> int:
    """Make the live platforms match the manifests (or apply a saved plan.json)."""
    rollout = _rollout(rec, waves, health, health_sample, pause)
    asked = _Asked(force, ignore_windows, allow_release, yes, as_json, no_reread, rollout)
    outputs = (journal_path, junit_path, metrics_file)
    saved = None
    if len(rec.paths) == 1 and rec.paths[0].suffix == ".json":  # a saved plan: its scope
        if revision is not None:
            raise api.UsageError("a saved plan has its revision already", "--revision")
        rec, saved = api.Reconciler.saved(rec.paths[0], rec.config_path)
    rec.parallelism = parallelism
    if revision is not None:
        from reconciler.agent.repository import worktree

        config = rec.config().path  # today's, found from the paths given
        with worktree(rec.paths, revision) as (paths, commit):
            options.note(f"applying the manifests of {commit[:12]}")
            then = api.Reconciler(config, paths, parallelism=parallelism)
            return _apply(ctx, then, scope, None, asked, outputs)
    return _apply(ctx, rec, scope, saved, asked, outputs)


@dataclasses.dataclass(frozen=True)
class _Asked:
    """How the command line asked for the apply."""

    force: bool
    ignore_windows: bool
    allow_release: bool
    yes: bool
    as_json: bool
    no_reread: bool
    rollout: api.Rollout | None


def _rollout(
    rec: api.Reconciler,
    waves: str | None,
    health: str | None,
    sample: int | None,
    pause: float | None,
) -> api.Rollout | None:
    """The waves asked for on the command line, over reconciler.yaml's apply.waves..."""
    if waves is None and health is None and sample is None and pause is None:
        return None  # apply.waves of reconciler.yaml, if any, is the engine's default
    configured = rec.config().settings.apply
    waves = waves or configured.waves
    if waves is None:
        raise api.UsageError(
            "--health, --health-sample and --pause-between-waves go with --waves (or "
            "apply.waves in reconciler.yaml)",
            "--waves",
        )
    return api.Rollout(
        waves,
        "verify" if (health or configured.health) == "verify" else "converge",
        sample or configured.healthSample,
        configured.pauseBetweenWaves if pause is None else pause,
    )


def _apply(
    ctx: click.Context,
    rec: api.Reconciler,
    target: api.Scope,
    saved: api.Plan | None,
    asked: _Asked,
    outputs: tuple[pathlib.Path | None, pathlib.Path | None, pathlib.Path | None],
) -> int:
    journal_path, junit_path, metrics_file = outputs
    review = progress.Review(ctx, ask=not (asked.yes or saved), as_json=asked.as_json)
    colour = options.color(ctx, "stderr")
    with (
        Interrupts() as interrupts,
        progress.Reporter(as_json=asked.as_json, color=colour, on_start=interrupts.arm) as reporter,
    ):
        result = rec.apply(
            saved or target,
            force=asked.force,
            ignore_windows=asked.ignore_windows,
            allow_release=asked.allow_release,
            rollout=asked.rollout,
            review=review,
            on_event=reporter,
            reread=not asked.no_reread,
            stop=interrupts.stop,
        )
    code = progress.finish(result, as_json=asked.as_json)
    outfiles.journal(journal_path, junit_path, result.journal)
    outfiles.metrics(metrics_file, result.run, success=code == 0, apply=result)
    if not asked.as_json:
        options.note(runline.summary(result.run))
    return code
