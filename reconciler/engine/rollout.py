"""Applying in waves (a rollout): the plan's enterprises split into ordered waves
(`plan.waves`), each applied and then gated on its health before the next starts. The
gate: `converge`, the wave's changes all applied and a re-read of its enterprises plans
nothing; `verify`, that and a test SMS through Connectel to the numbers the wave gave to
someone (at most `sample` an enterprise), each delivered where the manifests say. A gate
that fails halts the rollout: the later waves are not applied, each of their changes
skipped saying why; so does a stop. All in the one run (its lock, its session)."""

from __future__ import annotations

import dataclasses
import time
from typing import Literal

from reconciler.apply import executor
from reconciler.apply.outcome import (
    Convergence,
    Event,
    Gate,
    Outcome,
    Report,
    Texted,
    WaveResult,
)
from reconciler.config.loader import Config
from reconciler.engine import testsms
from reconciler.engine.run import Run
from reconciler.engine.workspace import Workspace
from reconciler.model import state
from reconciler.plan import waves as wavesmod
from reconciler.plan.model import Plan
from reconciler.providers import vendors
from reconciler.reports.delivery import Route, targets

PAUSE_CHECK = 0.25  # seconds: how often a pause between waves looks whether to stop


@dataclasses.dataclass(frozen=True)
class Rollout:
    """How to apply in waves: `waves` (count=N, label=KEY:V1,V2,...), the gate after
    each (`converge` or `verify`), numbers texted per enterprise by `verify`, seconds
    to pause between waves, and how long to wait for the delivery reports."""

    waves: str
    health: Literal["converge", "verify"] = "converge"
    sample: int = 3
    pause: float = 0.0
    timeout: float = 60.0
    sender: str = "Reconciler"
    message: str = "reconciler health check: this number texts again"


def configured(config: Config) -> Rollout | None:
    """The rollout reconciler.yaml asks for (apply.waves...), if any."""
    settings = config.settings.apply
    if settings.waves is None:
        return None
    return Rollout(
        settings.waves, settings.health, settings.healthSample, settings.pauseBetweenWaves
    )


class Waves:
    """Applies `plan` wave by wave in `run`, telling `on_event` as it goes."""

    def __init__(
        self,
        run: Run,
        workspace: Workspace,
        rollout: Rollout,
        on_event: executor.OnEvent,
        stop: executor.Stop | None,
    ) -> None:
        self.run = run
        self.workspace = workspace
        self.rollout = rollout
        self.on_event = on_event
        self.stop = stop

    def apply(self, plan: Plan) -> Report:
        waves = wavesmod.split(plan, self.workspace.desired, self.rollout.waves)
        mark = self.run.session.telemetry.mark()
        before = self.run.session.calls
        outcomes: list[Outcome] = []
        results: list[WaveResult] = []
        checks: list[Convergence] = []
        why_not = ""  # once set, no wave is applied: why
        stopped = False
        for wave in waves:
            part = wavesmod.subplan(plan, wave)
            if not why_not and wave.number > 1 and self.rollout.pause:
                self._pause(wave)
            if not why_not and self._stopping():
                why_not, stopped = "not applied: the apply was stopped", True
            if why_not:
                outcomes += [Outcome(c.id, c.enterprise, "skipped", why_not) for c in part.changes]
                results.append(WaveResult(wave.number, wave.name, wave.enterprises, "not applied"))
                continue
            self._say(
                wave,
                f"wave {wave.number} of {len(waves)} ({wave.name}): " + ", ".join(wave.enterprises),
            )
            report = self.run.apply(part, self.on_event, stop=self.stop)
            outcomes += report.outcomes
            if report.stopped:
                stopped = True
                why_not = "not applied: the apply was stopped"
                results.append(WaveResult(wave.number, wave.name, wave.enterprises, "halted"))
                continue
            gate = self._gate(part, report)
            if gate.convergence is not None:
                checks.append(gate.convergence)
            status: Literal["passed", "halted"] = "passed" if gate.ok else "halted"
            results.append(WaveResult(wave.number, wave.name, wave.enterprises, status, gate))
            verdict = "passed" if gate.ok else f"failed: {gate.reason}"
            self._say(wave, f"wave {wave.number} ({wave.name}) health gate ({gate.kind}) {verdict}")
            if not gate.ok:
                why_not = f"not applied: wave {wave.number} ({wave.name}) failed its health gate"
        return Report(
            tuple(outcomes),
            self.run.session.calls - before,
            throttled=self.run.session.telemetry.since(mark).throttled(),
            convergence=_merged(checks),
            stopped=stopped,
            waves=tuple(results),
        )

    def _say(self, wave: wavesmod.Wave, note: str) -> None:
        self.on_event(Event("wave", wave.name, 0, 0, note=note))

    def _stopping(self) -> bool:
        return self.stop is not None and self.stop.is_set()

    def _pause(self, wave: wavesmod.Wave) -> None:
        self._say(wave, f"pausing {self.rollout.pause:g} s before wave {wave.number}")
        end = time.monotonic() + self.rollout.pause
        while not self._stopping() and (left := end - time.monotonic()) > 0:
            time.sleep(min(PAUSE_CHECK, left))

    def _gate(self, part: Plan, report: Report) -> Gate:
        kind = self.rollout.health
        check = self.run.reread(self.workspace, part)
        failed = [o for o in report.outcomes if o.status != "applied"]
        if failed:
            first = f"{failed[0].change_id}: {failed[0].reason}"
            return Gate(kind, False, f"{len(failed)} of its changes did not apply ({first})", check)
        if not check.converged:
            return Gate(kind, False, f"not converged: {', '.join(check.unconverged)}", check)
        if kind == "converge":
            return Gate(kind, True, "", check)
        applied = {o.change_id for o in report.outcomes}
        numbers = wavesmod.assigned(part, applied)
        sample = {e: set(found[: self.rollout.sample]) for e, found in numbers.items()}
        wanted = self.workspace.desired.enterprises
        desired = state.State.model_construct(enterprises={n: wanted[n] for n in sample})
        chosen = [t for t in targets(desired) if t.number in sample.get(t.enterprise, set())]
        if not chosen:
            return Gate(kind, True, "", check)
        message = testsms.TestMessage(
            self.rollout.sender, self.rollout.message, self.rollout.timeout
        )
        client = self.run.session.client(vendors.CONNECTEL)
        results = self.run.perform(lambda: testsms.verify(client, chosen, message), "health")
        texted = tuple(
            Texted(
                r.target.enterprise,
                r.target.number,
                r.status,
                r.ok,
                r.seconds,
                ", ".join(Route.landed(d) for d in r.delivered_to or ()),
            )
            for r in results
        )
        bad = [t for t in texted if not t.ok]
        if not bad:
            return Gate(kind, True, "", check, texted)
        listed = ", ".join(f"{t.number} {t.status}" for t in bad)
        reason = (
            f"{len(bad)} of {len(texted)} test messages not delivered where the manifests "
            f"say ({listed})"
        )
        return Gate(kind, False, reason, check, texted)


def _merged(checks: list[Convergence]) -> Convergence | None:
    if not checks:
        return None
    return Convergence(
        checked=tuple(n for c in checks for n in c.checked),
        unconverged=tuple(n for c in checks for n in c.unconverged),
        remaining=tuple(r for c in checks for r in c.remaining),
        problems=tuple(p for c in checks for p in c.problems),
        calls=sum(c.calls for c in checks),
    )
