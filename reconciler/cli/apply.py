"""`reconciler apply`: plan (or load a saved plan), confirm, execute, summarize."""

from __future__ import annotations

import asyncio
import json
import pathlib
import sys
from typing import Any

import click

from reconciler.apply import executor, lock, staleness
from reconciler.apply.outcome import Report
from reconciler.cli import exitcodes, options, progress, workspace
from reconciler.errors import ReconcilerError
from reconciler.plan.model import Plan
from reconciler.providers import factory
from reconciler.providers.ratelimit import TokenBucket
from reconciler.render import jsonplan, text


@click.command("apply")
@options.paths
@options.config
@options.scope
@click.option(
    "--parallelism",
    type=click.IntRange(1, 256),
    help="Concurrent calls (default: apply.parallelism).",
)
@click.option("--force", is_flag=True, help="Apply even over policy.maxChangePercent.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.option("--json", "as_json", is_flag=True, help="One JSON event per line on stdout.")
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
) -> int:
    """Make the live platforms match the manifests (or apply a saved plan.json)."""
    saved = _saved_plan(paths)
    if saved is not None:
        paths = tuple(pathlib.Path(p) for p in saved.paths)
        enterprises = tuple(e.name for e in saved.enterprises)
        selectors = ()
    ws = workspace.load(paths, config_path, enterprises, selectors)
    color = bool(ctx.obj and ctx.obj.get("color"))
    with lock.exclusive(ws.config.directory):
        app = workspace.sandbox_app(ws.config)
        plan = workspace.plan(
            ws, app, force=force or bool(saved and saved.forced), paths=paths
        ).plan
        if saved is not None:
            _check_fresh(saved, plan, ws.manifests.digest)
        if not as_json:
            click.echo(text.render(plan, color=color and sys.stdout.isatty()), nl=False)
        if not plan.changes:
            _summary(Report((), 0), as_json, quiet=True)
            return exitcodes.OK
        if not yes and saved is None:
            _confirm(plan)
        report = _execute(ws, app, plan, parallelism, as_json, color)
    _summary(report, as_json)
    return exitcodes.OK if report.ok else exitcodes.ERROR


def _saved_plan(paths: tuple[pathlib.Path, ...]) -> Plan | None:
    if len(paths) != 1 or paths[0].suffix != ".json":
        return None
    try:
        return jsonplan.load(paths[0].read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ReconcilerError(
            f"{paths[0]}: not a saved plan ({str(exc).splitlines()[0]})"
        ) from None


def _check_fresh(saved: Plan, fresh: Plan, digest: str) -> None:
    if saved.manifestDigest != digest:
        raise ReconcilerError(
            "the saved plan is stale: the manifests changed since it was made; make a new plan"
        )
    lines = staleness.differences(saved, fresh)
    if lines:
        raise ReconcilerError(
            "the saved plan is stale: the live platforms changed since it was made, so it is "
            "not applied; make a new plan and review it:\n"
            + "\n".join(f"  {line}" for line in lines)
        )


def _confirm(plan: Plan) -> None:
    if not sys.stdin.isatty():
        raise ReconcilerError(
            "refusing to apply without confirmation: not a terminal; review the plan and pass "
            "--yes, or apply a saved plan (reconciler plan -o plan.json; then "
            "reconciler apply plan.json)"
        )
    if not click.confirm(f"Apply these {len(plan.changes)} changes?", default=False):
        raise ReconcilerError("apply cancelled: nothing was changed")


def _execute(
    ws: workspace.Workspace,
    app: Any,
    plan: Plan,
    parallelism: int | None,
    as_json: bool,
    color: bool,
) -> Report:
    settings = ws.config.settings.apply
    width = parallelism or settings.parallelism
    names = {call.api for change in plan.changes for call in change.calls}

    async def run() -> Report:
        async with factory.clients(
            ws.config,
            need_c2t="connecttoteams" in names,
            need_csms="contextsms" in names,
            asgi_app=app,
        ) as clients:
            for name, client in (
                ("connecttoteams", clients.connecttoteams),
                ("contextsms", clients.contextsms),
            ):
                rate = getattr(settings.rateLimit, name)
                if client is not None and rate:
                    client.limiter = TokenBucket(rate)
            with progress.Reporter(len(plan.changes), as_json=as_json, color=color) as reporter:
                return await executor.execute(plan, clients, parallelism=width, on_event=reporter)

    return asyncio.run(run())


def _summary(report: Report, as_json: bool, quiet: bool = False) -> None:
    applied, failed, skipped = (report.count(s) for s in ("applied", "failed", "skipped"))
    if as_json:
        click.echo(
            json.dumps(
                {
                    "event": "summary",
                    "applied": applied,
                    "failed": failed,
                    "skipped": skipped,
                    "calls": report.calls,
                },
                sort_keys=True,
            )
        )
        return
    if quiet:
        return
    for outcome in report.outcomes:
        if outcome.status != "applied":
            click.echo(f"  {outcome.status}: {outcome.change_id}: {outcome.reason}", err=True)
    word = "complete" if report.ok else "incomplete"
    click.echo(
        f"Apply {word}: {applied} applied, {failed} failed, {skipped} skipped "
        f"({report.calls} API calls)."
    )
    if not report.ok:
        click.echo(
            "Run apply again once the cause is fixed: it picks up where this one stopped.", err=True
        )
