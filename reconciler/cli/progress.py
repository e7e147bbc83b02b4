"""Apply on the terminal: the confirmation, progress (a rich progress bar on a terminal,
one plain line per finished change in CI, or one JSON event per line with --json), and
how it ended."""

from __future__ import annotations

import json
import sys
from types import TracebackType

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler.apply.outcome import Event, Report
from reconciler.cli import exitcodes
from reconciler.errors import ReconcilerError
from reconciler.plan.model import Plan
from reconciler.render import apply as render


class Reporter:
    def __init__(self, total: int, *, as_json: bool, color: bool) -> None:
        self.as_json = as_json
        self.total = total
        self.failed = 0
        self.bar: Progress | None = None
        if not as_json and color and sys.stderr.isatty():
            self.bar = Progress(
                TextColumn("[bold]apply"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                transient=True,
            )
            self.task = self.bar.add_task("", total=total, failed=0)

    def __enter__(self) -> Reporter:
        if self.bar:
            self.bar.start()
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self.bar:
            self.bar.stop()

    def __call__(self, event: Event) -> None:
        if self.as_json:
            record = {
                "event": event.kind,
                "change": event.change_id,
                "done": event.done,
                "total": event.total,
            }
            if event.outcome:
                record |= {"status": event.outcome.status, "reason": event.outcome.reason}
            click.echo(json.dumps(record, sort_keys=True))
            return
        if event.outcome and event.outcome.status != "applied":
            self.failed += 1
        if self.bar:
            self.bar.update(
                self.task, completed=event.done, failed=self.failed, description=event.change_id
            )
        elif event.outcome:
            reason = f": {event.outcome.reason}" if event.outcome.reason else ""
            click.echo(
                f"[{event.done}/{event.total}] {event.outcome.status} {event.change_id}{reason}",
                err=True,
            )


def confirm(count: int) -> None:
    if not sys.stdin.isatty():
        raise ReconcilerError(
            "refusing to apply without confirmation: not a terminal; review the plan and pass "
            "--yes, or apply a saved plan (reconciler plan -o plan.json; then "
            "reconciler apply plan.json)"
        )
    if not click.confirm(f"Apply these {count} changes?", default=False):
        raise ReconcilerError("apply cancelled: nothing was changed")


def finish(report: Report, plan: Plan, *, as_json: bool) -> int:
    """Say how the apply ended (failures on stderr) and return its exit code."""
    if as_json:
        click.echo(render.as_json(report, plan))
    elif plan.changes or plan.failed:
        for line in render.details(report, plan):
            click.echo(line, err=True)
        checked = render.verified(report)
        if checked:
            click.echo(checked)
        click.echo(render.summary(report, plan))
    if report.ok and not plan.failed:
        return exitcodes.OK
    click.echo(
        "Run apply again once the cause is fixed: it picks up where this one stopped.", err=True
    )
    return exitcodes.ERROR
