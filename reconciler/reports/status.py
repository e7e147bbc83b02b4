"""What the agent reports, pure values: each enterprise's sync status, the last cycles, the
notification targets' health, and the notices it sends.

Statuses (after Argo CD's): Synced (live matches the revision), OutOfSync (drifted, and
left so: no selfHeal), Healing (being applied back), HeldBack (a safety rule holds its
changes: maxChangePercent, payment), Failed (it could not be read, planned or applied),
Unknown (not looked at yet).
"""

from __future__ import annotations

import dataclasses
from typing import Literal

from reconciler.model.problem import Problem

SyncStatus = Literal["Synced", "OutOfSync", "Healing", "HeldBack", "Failed", "Unknown"]
STATUSES: tuple[SyncStatus, ...] = (
    "Synced",
    "OutOfSync",
    "Healing",
    "HeldBack",
    "Failed",
    "Unknown",
)
HOLDING = frozenset({"safety", "payment"})  # problems that hold changes back, by a rule
DETAILS_CAP = 20  # lines of a notice or a status row before "(+N more)"


def held_or_failed(problems: tuple[Problem, ...]) -> SyncStatus:
    """An enterprise with problems: HeldBack when only a safety rule holds it, else Failed."""
    return "HeldBack" if problems and all(p.kind in HOLDING for p in problems) else "Failed"


def capped(lines: tuple[str, ...] | list[str], cap: int = DETAILS_CAP) -> tuple[str, ...]:
    """At most `cap` lines, the last saying how many more there were."""
    if len(lines) <= cap:
        return tuple(lines)
    return (*lines[: cap - 1], f"(+{len(lines) - cap + 1} more)")


@dataclasses.dataclass(frozen=True)
class EnterpriseStatus:
    name: str
    status: SyncStatus
    since: float  # when it came to this status (epoch seconds)
    detail: str  # what happened last, in words
    revision: str | None = None  # the revision last applied to it
    self_heal: bool = False
    differences: tuple[str, ...] = ()  # the drift found, one line each (capped)
    last_synced: float | None = None  # when it was last found or made Synced


@dataclasses.dataclass(frozen=True)
class CycleSummary:
    id: int | None
    revision: str | None
    trigger: str
    started: float
    ended: float
    outcome: str
    note: str = ""


@dataclasses.dataclass(frozen=True)
class TargetStatus:
    """A notification target as the page shows it: never its URL (a secret)."""

    name: str  # "notifications[0] (teams)"
    sent: int = 0
    failed: int = 0
    last_error: str = ""


@dataclasses.dataclass(frozen=True)
class AgentStatus:
    repository: str  # the source, without credentials
    branch: str
    revision: str | None  # the last good revision: what live is reconciled to
    head: str | None  # the last revision fetched
    refused: tuple[str, str] | None  # (revision, why) of the last revision refused
    interval: float
    started: float
    enterprises: tuple[EnterpriseStatus, ...] = ()
    cycles: tuple[CycleSummary, ...] = ()
    notifications: tuple[TargetStatus, ...] = ()
    fetch_error: str | None = None  # the last fetch failed: why
    busy: bool = False  # a cycle is running

    def count(self, status: SyncStatus) -> int:
        return sum(1 for e in self.enterprises if e.status == status)


NoticeEvent = Literal["drift", "healed", "applied", "failed", "revision-refused"]


@dataclasses.dataclass(frozen=True)
class Notice:
    """One event for the notification targets: what happened to which enterprise (none
    for a refused revision), at which revision, in one line and a few more."""

    event: NoticeEvent
    enterprise: str | None
    revision: str | None
    summary: str
    details: tuple[str, ...] = ()
    at: float = 0.0
