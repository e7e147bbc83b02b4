"""One run: one event loop and ONE client session from the first read to the last write.

    with Run(workspace.config, options, exclusive=True) as run:
        planned = run.plan(workspace)
        ...                                   # the caller reviews it
        report = run.apply(planned.plan, on_event, reread_in=workspace)

Reads and writes share the session's connection pool, its logins and its per-API
limits. `exclusive` holds the apply lock for the whole run. Each stage's time is
measured (read, plan, apply, re-read, send) for the run's summary.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Awaitable, Callable, Iterator
from types import TracebackType
from typing import Any, TypeVar

from reconciler.apply import executor, lock
from reconciler.apply.outcome import Convergence, Report
from reconciler.config.loader import Config
from reconciler.engine.workspace import Workspace
from reconciler.model import live, state
from reconciler.plan import planner
from reconciler.plan.model import Plan
from reconciler.providers import read, session
from reconciler.providers.connecttoteams import client as connecttoteams
from reconciler.providers.session import SessionOptions
from reconciler.providers.telemetry import scoped
from reconciler.reports.runsummary import RunSummary

T = TypeVar("T")
OnEvent = executor.OnEvent
NO_RULES = planner.Rules()
REREAD = "re-read"  # the stage that re-reads what apply touched and plans it again


DEFAULTS = SessionOptions()


@dataclasses.dataclass(frozen=True)
class Planned:
    plan: Plan
    live: live.Live


def sandbox_app(config: Config) -> Any:
    """The in-process sandbox when any provider says `url: sandbox`, else None."""
    if not session.uses_sandbox(config):
        return None
    from reconciler.sandbox import demo
    from reconciler.sandbox.app import create_app  # only the engine and the CLI import it

    return create_app(config.db_path, config.seed_path or demo.seed())


class Run:
    def __init__(
        self,
        config: Config,
        options: SessionOptions | None = None,
        *,
        exclusive: bool = False,
    ) -> None:
        self.config = config
        self.options = options or DEFAULTS
        self._exclusive = exclusive
        self._stack = contextlib.ExitStack()
        self._runner: asyncio.Runner | None = None
        self._session: session.Session | None = None
        self.started = time.time()
        self.stages: dict[str, float] = {}  # seconds spent in each stage so far
        self.cpu: dict[str, float] = {}  # and the CPU seconds the process spent in them
        self.waited = 0.0  # seconds spent waiting for a person (the review of the plan)

    @property
    def session(self) -> session.Session:
        assert self._session is not None, "use Run as a context manager"
        return self._session

    def __enter__(self) -> Run:
        with self._stack.pop_all() as opening:  # released at once if opening fails
            if self._exclusive:
                opening.enter_context(lock.exclusive(self.config.directory))
            self._runner = opening.enter_context(asyncio.Runner())
            self._session = session.Session(self.config, self.options, sandbox_app(self.config))
            self._stack = opening.pop_all()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            if self._session is not None and self._runner is not None:
                self._runner.run(self._session.__aexit__(None, None, None))
        except Exception:
            if exc is None:  # closing must not hide the error that ended the run
                raise
        finally:
            self._stack.close()

    def perform(self, work: Callable[[], Awaitable[T]], stage: str = "read") -> T:
        """Run `work` in this run's loop and return its result; its time and its calls
        count as `stage`'s."""
        assert self._runner is not None, "use Run as a context manager"
        result: list[T] = []

        async def main() -> None:
            with scoped(stage=stage):
                result.append(await work())

        # The result is passed out of band: the runner's SIGINT bookkeeping formats the
        # repr of its main task, which for a large tenant would be the whole live state.
        with self.timed(stage):
            self._runner.run(main())
        return result[0]

    @contextlib.contextmanager
    def timed(self, stage: str) -> Iterator[None]:
        """Count the time inside as `stage`'s (added up when it runs more than once)."""
        began, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            spent = time.perf_counter() - began
            self.stages[stage] = self.stages.get(stage, 0.0) + spent
            self.cpu[stage] = self.cpu.get(stage, 0.0) + time.process_time() - cpu

    def summary(self, command: str) -> RunSummary:
        """What the run has cost so far."""
        tally = self.session.telemetry.since()
        return RunSummary(
            command,
            self.started,
            time.time(),
            dict(self.stages),
            tally,
            self.waited,
            dict(self.cpu),
        )

    def read(self, desired: state.State, stage: str = "read") -> live.Live:
        """Live state of the enterprises in `desired`; failed reads are in `failed`."""
        return self.perform(lambda: read.read(self.session, desired), stage)

    def _settings(
        self, workspace: Workspace, rules: planner.Rules, windows: bool
    ) -> planner.Settings:
        if self.config.settings.apply.allowRelease:
            rules = dataclasses.replace(rules, allow_release=True)
        return planner.Settings(
            endpoints=connecttoteams.endpoints(self.config),
            rules=rules,
            manifest_digest=workspace.manifests.digest,
            paths=tuple(str(p) for p in workspace.paths) or (".",),
            now=time.time() if windows else None,
        )

    def plan(
        self, workspace: Workspace, rules: planner.Rules = NO_RULES, *, windows: bool = True
    ) -> Planned:
        """Read, then plan; every enterprise's problems are on its part of the plan. With
        `windows`, an enterprise outside its change windows is held back (not in drift:
        drift reports what differs, whenever)."""
        found = self.read(workspace.desired)
        settings = self._settings(workspace, rules, windows)
        with self.timed("plan"):
            made = planner.plan(workspace.desired, found, settings)
            emails = planner.needs_payment(made, workspace.desired)
        if emails:
            paid = self.perform(lambda: read.payments(self.session, emails))
            with self.timed("plan"):
                made = planner.with_payments(made, paid, workspace.desired, settings)
        return Planned(made, found)

    def apply(
        self,
        plan: Plan,
        on_event: OnEvent,
        *,
        reread_in: Workspace | None = None,
        stop: executor.Stop | None = None,
    ) -> Report:
        """Apply the plan's changes (those of the enterprises that did not fail); with
        `reread_in`, then re-read the enterprises it touched and plan them again (not
        when `stop` was set: nothing new starts then)."""
        mark = self.session.telemetry.mark()
        report = self.perform(
            lambda: executor.execute(
                plan,
                self.session,
                parallelism=self.session.parallelism,
                on_event=on_event,
                stop=stop,
            ),
            "apply",
        )
        if reread_in is None or not plan.changes or report.stopped:
            return report
        checked = self.reread(reread_in, plan)
        # the re-read's 429s count too: the vendor throttled this run
        return dataclasses.replace(
            report, convergence=checked, throttled=self.session.telemetry.since(mark).throttled()
        )

    def reread(self, workspace: Workspace, plan: Plan) -> Convergence:
        """Whether the enterprises `plan` changed now plan nothing: what remains, by name."""
        touched = sorted({c.enterprise for c in plan.changes})
        wanted = workspace.desired.enterprises
        desired = state.State.model_construct(enterprises={n: wanted[n] for n in touched})
        before = self.session.calls
        found = self.read(desired, REREAD)
        with self.timed(REREAD):
            rules = planner.Rules(force=True, ignore_windows=True, allow_release=True)
            again = planner.plan(desired, found, self._settings(workspace, rules, False))
        return Convergence(
            checked=tuple(touched),
            unconverged=tuple(e.name for e in again.enterprises if e.changes or e.problems),
            remaining=tuple(f"{c.action} {c.id}" for c in again.changes),
            problems=tuple(f"{p.enterprise}: {p.message}" for p in again.problems),
            calls=self.session.calls - before,
        )
