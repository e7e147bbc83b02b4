"""`apply`: in ONE run holding the apply lock, plan (a saved plan is planned again and
refused when stale), let the caller review the plan, execute it, re-read what it touched
and plan again (convergence), and build the journal. Returns values; prints nothing.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from typing import Any

from reconciler.apply.executor import Stop
from reconciler.apply.outcome import Convergence, Event, Outcome, Report
from reconciler.engine.rollout import Rollout, Waves, configured
from reconciler.engine.run import OnEvent, Run
from reconciler.engine.workspace import Workspace
from reconciler.errors import Cancelled
from reconciler.model.record import Retry
from reconciler.plan import planfile
from reconciler.plan.model import Plan
from reconciler.plan.planner import Rules
from reconciler.providers.session import SessionOptions
from reconciler.reports import journal
from reconciler.reports.runsummary import RunSummary

Review = Callable[[Plan], bool]  # shown the plan before anything is sent; False: stop


@dataclasses.dataclass(frozen=True)
class ApplySettings:
    force: bool = False  # apply even over policy.maxChangePercent
    ignore_windows: bool = False  # apply even outside change windows
    allow_release: bool = False  # let numbers lose every holder
    review: Review | None = None
    on_event: OnEvent | None = None
    reread: bool = True  # re-read and plan again after the calls
    stop: Stop | None = None  # once set, no change starts; those under way finish
    rollout: Rollout | None = None  # in waves (default: apply.waves of reconciler.yaml)


@dataclasses.dataclass(frozen=True)
class ApplyResult:
    """How an apply ended: the plan it applied, each change's outcome, what the re-read
    after the calls found, what the run cost, and the journal (a JSON-ready dict: each
    change with its calls, the provenance, the totals)."""

    plan: Plan
    report: Report
    run: RunSummary
    journal: dict[str, Any]

    @property
    def outcomes(self) -> tuple[Outcome, ...]:
        return self.report.outcomes

    @property
    def applied(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "applied")

    @property
    def failed(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")

    @property
    def skipped(self) -> tuple[Outcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "skipped")

    @property
    def convergence(self) -> Convergence | None:
        return self.report.convergence

    @property
    def converged(self) -> bool | None:
        """Whether the re-read after the calls planned nothing more (True also when there
        was nothing to apply); None when it was not re-read (reread=False)."""
        if not self.plan.changes:
            return True
        check = self.report.convergence
        return None if check is None else check.converged

    @property
    def ok(self) -> bool:
        """Every change applied, no enterprise failed or held back by a safety rule,
        and converged when re-read (a change window's hold is no failure)."""
        return self.report.ok and not self.plan.failed


class _Progress:
    """Forwards the executor's events and turns retries into events too, counting what
    is done so a retry says where the apply stands."""

    def __init__(self, on_event: OnEvent | None, total: int) -> None:
        self.on_event = on_event
        self.done = 0
        self.total = total

    def __call__(self, event: Event) -> None:
        """Forward `event`, counted across the whole apply (a rollout runs the executor
        once per wave, each counting its own)."""
        if event.kind == "finish":
            self.done += 1
        if self.on_event is not None:
            self.on_event(dataclasses.replace(event, done=self.done, total=self.total))

    def retried(self, retry: Retry) -> None:
        if self.on_event is not None:
            self.on_event(Event("retry", retry.change, self.done, self.total, retry=retry))


def apply(
    workspace: Workspace, saved: Plan | None, settings: ApplySettings, options: SessionOptions
) -> ApplyResult:
    """Apply the workspace's plan, or `saved` (its enterprises: the workspace is scoped
    to them) when it is still fresh. Raises Cancelled when the review says no."""
    with Run(workspace.config, options, exclusive=True) as run:
        rules = Rules(
            force=settings.force or bool(saved and saved.forced),
            ignore_windows=settings.ignore_windows or bool(saved and saved.ignoredWindows),
            allow_release=settings.allow_release or bool(saved and saved.allowedRelease),
        )
        plan = run.plan(workspace, rules).plan
        if saved is not None:
            planfile.check_fresh(saved, plan)
        if settings.review is not None:
            began = time.perf_counter()
            agreed = settings.review(plan)
            run.waited += time.perf_counter() - began  # a person's time, not the run's
            if not agreed:
                raise Cancelled("apply cancelled: nothing was changed")
        report = Report((), 0)
        if plan.changes:
            progress = _Progress(settings.on_event, len(plan.changes))
            unsubscribe = run.session.telemetry.subscribe(progress.retried)
            rollout = settings.rollout or configured(workspace.config)
            try:
                if rollout is not None:
                    waves = Waves(run, workspace, rollout, progress, settings.stop)
                    report = waves.apply(plan)
                else:
                    reread_in = workspace if settings.reread else None
                    report = run.apply(plan, progress, reread_in=reread_in, stop=settings.stop)
            finally:
                unsubscribe()
        summary = run.summary("apply")
    record = journal.build(plan, report, summary, workspace.provenance())
    return ApplyResult(plan, report, summary, record)
