"""Apply progress: a rich progress bar on a terminal, one plain line per finished change
in CI, or one JSON event per line with --json."""

from __future__ import annotations

import json
import sys
from types import TracebackType

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from reconciler.apply.outcome import Event


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
