"""Apply on the terminal: the confirmation, progress (a rich progress bar on a terminal,
one plain line per finished change in CI, or one JSON event per line with --json), the
retries as they happen, and how it ended.

On a terminal, each finished change prints one line above the bar, which stays when the
bar goes (as Terraform prints), failures with the vendor's whole answer."""

from __future__ import annotations

import json
import sys
from types import TracebackType

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler.apply.outcome import Event, Report
from reconciler.cli import exitcodes, options
from reconciler.errors import ReconcilerError
from reconciler.model.record import Retry
from reconciler.plan.model import Plan
from reconciler.render import apply as render
from reconciler.reports.run import RunSummary


class Reporter:
    def __init__(self, total: int, *, as_json: bool, color: bool) -> None:
        self.as_json = as_json
        self.quiet = options.quiet() and not as_json  # --quiet: no progress at all
        self.total = total
        self.failed = 0
        self.retries = 0
        self.done = 0
        self.bar: Progress | None = None
        if not as_json and not self.quiet and color and sys.stderr.isatty():
            self.bar = Progress(
                TextColumn("[bold]apply"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("{task.fields[retries]}"),
                TimeElapsedColumn(),
                TextColumn("{task.description}"),
                transient=True,
            )
            self.task = self.bar.add_task("", total=total, failed=0, retries="")

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
                record |= {
                    "status": event.outcome.status,
                    "reason": event.outcome.reason,
                    "seconds": round(event.outcome.seconds, 3),
                }
            click.echo(json.dumps(record, sort_keys=True))
            return
        self.done = event.done
        if event.outcome and event.outcome.status != "applied":
            self.failed += 1
        if self.quiet:
            return
        line = None
        if event.outcome:
            o = event.outcome
            reason = f": {o.reason}" if o.reason else ""
            took = f" ({o.seconds:.1f} s)" if o.started else ""
            line = f"[{event.done}/{event.total}] {o.status} {event.change_id}{took}{reason}"
        if self.bar:
            self.bar.update(
                self.task, completed=event.done, failed=self.failed, description=event.change_id
            )
            if line:
                self.bar.console.print(line, markup=False, highlight=False)
        elif line:
            click.echo(line, err=True)

    def retried(self, retry: Retry) -> None:
        """A call failed and will be tried again: said at once (and counted on the bar)."""
        self.retries += 1
        if self.as_json:
            record = {
                "event": "retry",
                "change": retry.change or None,
                "api": retry.api,
                "operation": retry.operation,
                "attempt": retry.attempt,
                "waitMs": round(retry.wait * 1000, 1),
                "reason": retry.reason,
            }
            click.echo(json.dumps(record, sort_keys=True))
            return
        if self.quiet:
            return
        if self.bar:
            noun = "retry" if self.retries == 1 else "retries"
            self.bar.update(self.task, retries=f"{self.retries} {noun}")
            return
        what = f" for {retry.change}" if retry.change else ""
        click.echo(
            f"[{self.done}/{self.total}] retry {retry.api} {retry.operation}{what} in "
            f"{retry.wait:.1f} s (attempt {retry.attempt}: {retry.reason})",
            err=True,
        )


def confirm(count: int) -> None:
    if not sys.stdin.isatty():
        raise ReconcilerError(
            "refusing to apply without confirmation: not a terminal; review the plan and pass "
            "--yes, or apply a saved plan (reconciler plan -o plan.json; then "
            "reconciler apply plan.json)"
        )
    question = "Apply this change?" if count == 1 else f"Apply these {count} changes?"
    if not click.confirm(question, default=False):
        raise ReconcilerError("apply cancelled: nothing was changed")


def finish(report: Report, plan: Plan, run: RunSummary, *, as_json: bool) -> int:
    """Say how the apply ended (failures on stderr); return its exit code."""
    if as_json:
        click.echo(render.as_json(report, plan, run))
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
