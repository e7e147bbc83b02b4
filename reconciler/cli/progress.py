"""Apply on the terminal: the review (the plan shown, then the confirmation), progress (a
rich progress bar on a terminal, one plain line per finished change in CI, or one JSON
event per line with --json), the retries as they happen, and how it ended.

On a terminal, each finished change prints one line above the bar, which stays when the
bar goes (as Terraform prints), failures with the vendor's whole answer."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from types import TracebackType

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler import api
from reconciler.cli import exitcodes, logs, options, pipe
from reconciler.render import apply as render
from reconciler.render import text


class Review:
    """Shown the plan before anything is sent: print it (unless --json), then ask on a
    terminal unless told not to (--yes, a saved plan already reviewed)."""

    def __init__(self, ctx: click.Context, *, ask: bool, as_json: bool) -> None:
        self.color = options.color(ctx)  # click would strip it from a pipe unless told
        self.ask = ask
        self.as_json = as_json

    def __call__(self, plan: api.Plan) -> bool:
        if not self.as_json and not pipe.write(text.render(plan, color=self.color)):
            if plan.changes and self.ask:
                raise api.ReconcilerError(
                    "refusing to apply: standard output was closed before the plan was "
                    "shown whole; nothing was applied"
                )
            if plan.changes:
                logs.say(_GONE + "; the apply goes on (--yes)", "warning")
        if not (plan.changes and self.ask):
            return True
        if not sys.stdin.isatty():
            raise api.ReconcilerError(
                "refusing to apply without confirmation: not a terminal; review the plan and "
                "pass --yes, or apply a saved plan (reconciler plan -o plan.json; then "
                "reconciler apply plan.json)"
            )
        count = len(plan.changes)
        question = "Apply this change?" if count == 1 else f"Apply these {count} changes?"
        return click.confirm(question, default=False)


class Reporter:
    """Hears apply's events: a bar on a terminal (from the first event, after the review),
    plain lines in CI, JSON lines with --json."""

    def __init__(
        self, *, as_json: bool, color: bool, on_start: Callable[[], None] | None = None
    ) -> None:
        self.on_start = on_start  # told at the first event: the plan has been reviewed
        self.as_json = as_json
        self.quiet = options.quiet() and not as_json  # --quiet: no progress at all
        self.color = color
        self.failed = 0
        self.retries = 0
        self.started = False
        self.bar: Progress | None = None

    def __enter__(self) -> Reporter:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self.bar:
            self.bar.stop()

    def _start(self, total: int) -> None:
        self.started = True
        if self.on_start is not None:
            self.on_start()
        if self.as_json or self.quiet or logs.json_stderr():
            return
        if not self.color or not sys.stderr.isatty():
            return
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
        self.bar.start()

    def __call__(self, event: api.Event) -> None:
        if not self.started:
            self._start(event.total)
        if event.retry is not None:
            self._retried(event.retry)
            return
        if event.kind == "wave":
            self._wave(event)
            return
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
            _event_line(record)
            return
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
        elif line and event.outcome:
            o = event.outcome
            logs.say(
                line,
                "error" if o.status == "failed" else "info",
                event=event.kind,
                change=event.change_id,
                status=o.status,
                done=event.done,
                total=event.total,
            )

    def _wave(self, event: api.Event) -> None:
        """A wave starts, pauses, or its health gate has spoken: a line of its own."""
        if self.as_json:
            _event_line({"event": "wave", "note": event.note})
        elif self.bar:
            self.bar.console.print(event.note, markup=False, highlight=False)
        elif not self.quiet:
            logs.say(event.note, event="wave")

    def _retried(self, retry: api.Retry) -> None:
        """A call failed and will be tried again: counted on the bar, an event with
        --json (the log says it on stderr, as a warning)."""
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
            _event_line(record)
        elif self.bar:
            noun = "retry" if self.retries == 1 else "retries"
            self.bar.update(self.task, retries=f"{self.retries} {noun}")


def finish(result: api.ApplyResult, *, as_json: bool) -> int:
    """Say how the apply ended (failures on stderr); return its exit code, the apply's
    whether or not stdout's reader stayed to the end."""
    report, plan = result.report, result.plan
    if as_json:
        pipe.write(render.as_json(report, plan, result.run) + "\n")
    elif plan.changes or plan.failed or plan.held:
        for line in render.details(report, plan):
            logs.say(line, "error" if line.lstrip().startswith("failed") else "warning")
        converged = render.converged(report)
        pipe.write((converged + "\n" if converged else "") + render.summary(report, plan) + "\n")
    if report.stopped:
        logs.say("Stopped: run apply again to finish; it picks up where this one stopped.")
        return exitcodes.INTERRUPTED
    if result.ok:
        return exitcodes.OK
    logs.say("Run apply again once the cause is fixed: it picks up where this one stopped.")
    return exitcodes.ERROR


_GONE = "standard output was closed by its reader: nothing more is written there"


def _event_line(record: Mapping[str, object]) -> None:
    """One JSON line of --json's event stream, flushed for whoever follows it. Not through
    click.echo, which asks whether stdout is a terminal at every line: a large apply
    writes two lines a change. A reader that goes away stops the stream, not the apply."""
    if not pipe.gone() and not pipe.write(json.dumps(record, sort_keys=True) + "\n"):
        logs.say(_GONE + "; the apply goes on, its outcome is in the exit code", "warning")
