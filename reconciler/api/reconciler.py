"""`Reconciler`: one workspace (a reconciler.yaml and the manifests under some paths) and
every workflow on it, each returning a value and printing nothing.

Each workflow reads the config and the manifests afresh (they live in git and change
between calls), opens ONE client session for its reads and writes, and closes it before
it returns. Modules below the API are imported when a workflow needs them, so that
`validate` never pays for the HTTP stack.
"""

from __future__ import annotations

import os
import pathlib
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reconciler.engine.workspace import EVERYTHING, Scope, Workspace
from reconciler.engine.workspace import config as find_config
from reconciler.engine.workspace import load as load_workspace

if TYPE_CHECKING:
    from reconciler.apply.executor import Stop
    from reconciler.apply.outcome import Event
    from reconciler.config.loader import Config
    from reconciler.engine.applying import ApplyResult, Review
    from reconciler.engine.clone import Cloned
    from reconciler.engine.export import Exported
    from reconciler.engine.rollout import Rollout
    from reconciler.engine.testsms import Delivery
    from reconciler.plan.model import Plan
    from reconciler.providers.session import SessionOptions, Transport
    from reconciler.reports.diagnosis import Diagnosis
    from reconciler.reports.drift import DriftReport
    from reconciler.reports.inventory import Numbers
    from reconciler.reports.provenance import Provenance
    from reconciler.reports.validation import Validation

PathLike = str | os.PathLike[str]


class Reconciler:
    """The workspace at `paths` (manifest files or directories; the current directory
    when none) with the reconciler.yaml found as the CLI finds it: `config`, else
    $RECONCILER_CONFIG, else in the first path's directory or the nearest one above, else
    in the current directory or above.

    `env` is where `${VAR}` credentials come from (default: the process's environment);
    `transport` an httpx transport every request goes through (tests, a proxy);
    `parallelism` the requests in flight per API (default: apply.parallelism); `pace`
    a rate ceiling, requests a second to each API, under the configured rateLimit.

    Errors are the `reconciler.errors` family: ConfigError (reconciler.yaml),
    ManifestError (invalid manifests, for workflows that need them valid), UsageError
    (an argument that cannot mean anything), ReconcilerError (anything else a user can
    act on: a stale saved plan, an unknown enterprise, the apply lock held). One
    enterprise's trouble is never an exception: it is on that enterprise's part of
    the returned value.
    """

    def __init__(
        self,
        config: PathLike | None = None,
        paths: Iterable[PathLike] = (),
        *,
        env: Mapping[str, str] | None = None,
        transport: Transport | None = None,
        parallelism: int | None = None,
        pace: float | None = None,
    ) -> None:
        self.config_path = pathlib.Path(config) if config is not None else None
        self.paths = tuple(pathlib.Path(p) for p in paths)
        self.env = env
        self.transport = transport
        self.parallelism = parallelism
        self.pace = pace

    @classmethod
    def saved(
        cls,
        plan: PathLike,
        config: PathLike | None = None,
        **kwargs: Any,
    ) -> tuple[Reconciler, Plan]:
        """The plan saved at `plan` and a Reconciler on the workspace it was made from,
        found again from wherever this runs: the git work tree holding the plan file,
        the one holding the current directory, or where it was made (`config` overrides
        the reconciler.yaml it used; `kwargs` as for Reconciler). A ReconcilerError
        naming where it was made when that workspace is not found from here."""
        from reconciler.engine import origin
        from reconciler.plan.model import Plan

        where = pathlib.Path(plan)
        loaded = Plan.load(where)
        given = pathlib.Path(config) if config is not None else None
        found, paths = origin.locate(loaded, where, given)
        return cls(found, paths, **kwargs), loaded

    def __repr__(self) -> str:
        paths = ", ".join(str(p) for p in self.paths) or "."
        return f"Reconciler(config={self.config_path}, paths=[{paths}])"

    def _options(self, stop: Stop | None = None) -> SessionOptions:
        from reconciler.providers.session import SessionOptions

        halt = stop.is_set if stop is not None else None
        return SessionOptions(self.transport, self.env, self.parallelism, pace=self.pace, halt=halt)

    def config(self) -> Config:
        """The reconciler.yaml in use (its defaults when none is found)."""
        return find_config(self.config_path, self.paths)

    def workspace(self, scope: Scope | None = None) -> Workspace:
        """The config, the valid manifests and the enterprises in `scope`; ManifestError
        when a manifest is invalid."""
        return load_workspace(self.paths, self.config_path, scope or EVERYTHING)

    def provenance(self) -> Provenance:
        """When, by which version, from which commit and against which targets: what a
        standalone report says of itself."""
        from reconciler.engine import workspace

        return workspace.provenance(self.config(), self.paths)

    # --- offline ---------------------------------------------------------------------

    def validate(self) -> Validation:
        """Every manifest checked offline: what they hold, or every problem at once."""
        from reconciler.engine import validation

        return validation.validate(self.paths, self.config_path)

    def shards(self, by: str) -> list[dict[str, Any]]:
        """The estate split for a CI matrix: `label=KEY` or `count=N` (offline)."""
        from reconciler.reports import shards

        return shards.shards(self.workspace().desired, by)

    # --- plan, apply, drift ----------------------------------------------------------

    def plan(
        self,
        scope: Scope | None = None,
        *,
        force: bool = False,
        ignore_windows: bool = False,
        allow_release: bool = False,
    ) -> Plan:
        """What apply would change; each enterprise's problems are on its part of it, and
        one outside its change windows is held back (`heldBack`) unless `ignore_windows`.
        A change that leaves a number with no holder is a problem unless `allow_release`
        (or apply.allowRelease)."""
        from reconciler.engine import origin
        from reconciler.engine.run import Run
        from reconciler.plan.planner import Rules

        workspace = self.workspace(scope)
        with Run(workspace.config, self._options()) as run:
            made = run.plan(workspace, Rules(force, ignore_windows, allow_release)).plan
        # where it was made, so that a saved copy travels (asked of git once, here only)
        return made.model_copy(update={"origin": origin.of(workspace.config, workspace.paths)})

    def apply(
        self,
        target: Plan | Scope | None = None,
        *,
        force: bool = False,
        ignore_windows: bool = False,
        allow_release: bool = False,
        rollout: Rollout | None = None,
        review: Review | None = None,
        on_event: Callable[[Event], None] | None = None,
        reread: bool = True,
        stop: Stop | None = None,
    ) -> ApplyResult:
        """Make the live platforms match the manifests.

        `target` is a Plan (from `plan()` or `Plan.load`: it is planned again and refused
        when the manifests or the live objects it touches changed since), a Scope, or
        None (every enterprise). `review(plan)` is shown the plan before anything is sent;
        returning False stops with `errors.Cancelled`. `on_event` hears each change start
        and finish and each retried call. With `reread`, what was touched is read and
        planned again afterwards: `result.converged` says whether nothing remains. Once
        `stop` (a threading.Event, say) is set, no change starts and no failed call is
        tried again; the calls in flight end, the rest are skipped, and the journal says
        it stopped. With `rollout` (or apply.waves in reconciler.yaml) the enterprises go
        in waves, each gated on its health (`result.report.waves`); a failed gate halts
        the rest.
        """
        from reconciler.engine import applying
        from reconciler.plan.model import Plan

        saved = target if isinstance(target, Plan) else None
        if saved is not None:
            scope = Scope(enterprises=tuple(e.name for e in saved.enterprises))
        else:
            scope = target if isinstance(target, Scope) else EVERYTHING
        settings = applying.ApplySettings(
            force, ignore_windows, allow_release, review, on_event, reread, stop, rollout
        )
        return applying.apply(self.workspace(scope), saved, settings, self._options(stop))

    def drift(self, scope: Scope | None = None) -> DriftReport:
        """What changed live behind git's back, per enterprise (`in_sync` when nothing)."""
        from reconciler.engine.run import Run
        from reconciler.plan.planner import Rules
        from reconciler.reports import drift

        workspace = self.workspace(scope)
        with Run(workspace.config, self._options()) as run:
            planned = run.plan(workspace, Rules(force=True), windows=False)
            summary = run.summary("drift")
        about = workspace.provenance()
        return drift.build(planned.plan, planned.live, workspace.desired, about, summary)

    # --- the live platforms, read-only or nearly ------------------------------------

    def numbers(self, scope: Scope | None = None, *, filter: str | None = None) -> Numbers:
        """The live number inventory (with one of the portal's filters, `NUMBER_FILTERS`)
        and the numbers the manifests want that it cannot serve."""
        from reconciler.engine.run import Run
        from reconciler.reports import inventory

        if filter is not None and filter not in inventory.FILTERS:
            from reconciler.errors import UsageError

            choices = ", ".join(sorted(inventory.FILTERS))
            raise UsageError(f"{filter!r} is not one of {choices}", "--filter")
        workspace = self.workspace(scope)
        with Run(workspace.config, self._options()) as run:
            found = run.read(workspace.desired)
        return inventory.numbers(found, workspace.desired, filter)

    def verify(
        self,
        scope: Scope | None = None,
        *,
        numbers: Sequence[str] = (),
        sender: str = "Reconciler",
        message: str = "reconciler verify: test message",
        timeout: float = 60.0,
        callback_port: int | None = None,
    ) -> Delivery:
        """Text each managed number in scope (or only `numbers`) through Connectel and
        say where each message landed. Sender and message are checked before anything
        is sent (UsageError)."""
        from reconciler.engine import testsms

        message_options = testsms.TestMessage(sender, message, timeout, callback_port)
        testsms.check(message_options)
        return testsms.send(self.workspace(scope), tuple(numbers), message_options, self._options())

    def doctor(self) -> Diagnosis:
        """Credentials, reachability, TLS and every read of the endpoint map, checked
        read-only for each configured provider. The manifests, when valid, say which
        enterprise and CSP to read; when not, a note says why they were not used."""
        from reconciler.engine import probes
        from reconciler.errors import ReconcilerError

        config = self.config()
        notes: tuple[str, ...] = ()
        try:
            desired = self.workspace().desired
        except ReconcilerError as exc:
            notes, desired = (f"manifests not used ({str(exc).splitlines()[0]})",), None
        found = probes.diagnose(config, desired, self._options())
        return found if not notes else type(found)(found.checks, notes)

    def export(
        self,
        directory: PathLike,
        *,
        enterprises: Sequence[str] = (),
        enterprise_ids: Sequence[int] = (),
        csp: str | None = None,
    ) -> Exported:
        """Write one manifest per live enterprise (ids as pins), the schemas they name,
        and a reconciler.yaml skeleton unless one exists."""
        from reconciler.engine import export

        return export.export_estate(
            self.config(),
            pathlib.Path(directory),
            names=tuple(enterprises),
            ids=tuple(enterprise_ids),
            csp=csp,
            options=self._options(),
        )

    def clone(self, out: PathLike, scope: Scope | None = None) -> Cloned:
        """Copy the live state of the managed enterprises into a sandbox seed at `out`,
        to rehearse an apply on a copy of production (never a production credential)."""
        from reconciler.engine import clone

        return clone.clone(self.workspace(scope), pathlib.Path(out), self._options())


def merge_drift(paths: Sequence[PathLike]) -> DriftReport:
    """Shards' JSON drift reports (`drift --format json -o FILE`) as one report."""
    from reconciler.model.record import Tally
    from reconciler.reports import drift
    from reconciler.reports.runsummary import RunSummary

    shards = [
        (str(p), drift.load(pathlib.Path(p).read_text(encoding="utf-8"), str(p))) for p in paths
    ]
    report = drift.merge(shards)
    now = time.time()  # the shards' calls are in their own runs' metrics
    seconds = float((report.run or {}).get("seconds", 0.0))
    return report.model_copy(update={"cost": RunSummary("drift", now - seconds, now, {}, Tally())})
