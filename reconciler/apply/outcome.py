"""What applying a plan produced: one outcome per change, events as it goes, and what the
re-read after the calls found (convergence)."""

from __future__ import annotations

import dataclasses
from typing import Literal

from reconciler.model.record import Retry

Status = Literal["applied", "failed", "skipped"]
EventKind = Literal["start", "finish", "retry", "wave"]


@dataclasses.dataclass(frozen=True)
class Outcome:
    """How one change of an apply ended: applied, failed or skipped (with why), and when."""

    change_id: str
    enterprise: str
    status: Status
    reason: str = ""  # why it failed or was skipped; never holds a secret
    started: float | None = None  # epoch seconds of its first call (None: none ran)
    seconds: float = 0.0  # from its first call to its end


@dataclasses.dataclass(frozen=True)
class Event:
    """Reported as each change starts and finishes, and as a call of it is retried
    (progress bars, CI lines, --json, an agent's log). `done` of `total` changes are
    over; `outcome` is set on "finish", `retry` on "retry" (whose `change_id` is empty
    when the call served no change, such as a login)."""

    kind: EventKind
    change_id: str
    done: int
    total: int
    outcome: Outcome | None = None
    retry: Retry | None = None
    note: str = ""  # "wave": a wave starts, or its health gate says how it went


@dataclasses.dataclass(frozen=True)
class Convergence:
    """What the re-read after the calls found: the enterprises checked, the changes that
    still remain (`action change-id`) and what could not be planned there (twins, say)."""

    checked: tuple[str, ...]
    unconverged: tuple[str, ...] = ()  # enterprises with changes left or problems
    remaining: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # "enterprise: message"
    calls: int = 0

    @property
    def converged(self) -> bool:
        return not self.unconverged


@dataclasses.dataclass(frozen=True)
class Texted:
    """One test SMS of a health gate: to which number, how it ended, where it landed."""

    enterprise: str
    number: str
    status: str  # DELIVRD, UNDELIV, REJECTD, EXPIRED, UNKNOWN, PENDING
    ok: bool
    seconds: float | None = None
    landed: str = ""  # where the sandbox delivered it, when it says


@dataclasses.dataclass(frozen=True)
class Gate:
    """A wave's health gate: `converge` (the wave's changes applied and a re-read plans
    nothing) or `verify` (that, and a test SMS to the numbers it assigned, delivered
    where the manifests say)."""

    kind: str  # converge, verify
    ok: bool
    reason: str = ""  # why it failed
    convergence: Convergence | None = None
    texted: tuple[Texted, ...] = ()


@dataclasses.dataclass(frozen=True)
class WaveResult:
    """One wave of a rollout: its enterprises, whether it was applied, and its gate."""

    number: int
    name: str
    enterprises: tuple[str, ...]
    status: Literal["passed", "halted", "not applied"]
    gate: Gate | None = None


@dataclasses.dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    calls: int
    throttled: dict[str, int] = dataclasses.field(default_factory=dict)  # API -> 429s
    convergence: Convergence | None = None  # None: not re-read (asked not to, no change)
    stopped: bool = False  # asked to stop: the changes not started are skipped
    waves: tuple[WaveResult, ...] = ()  # applied in waves: each wave and its gate

    @property
    def halted(self) -> WaveResult | None:
        """The wave whose health gate failed and halted the rollout, if one did."""
        return next((w for w in self.waves if w.status == "halted"), None)

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        converged = self.convergence is None or self.convergence.converged
        healthy = self.halted is None
        return converged and healthy and all(o.status == "applied" for o in self.outcomes)
