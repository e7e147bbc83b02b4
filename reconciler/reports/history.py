"""The agent's history as values: one cycle (its revision, trigger, times, outcome) and
what it found and did for each enterprise. The agent keeps them in SQLite; `reconciler
history` and the status page render them."""

from __future__ import annotations

import dataclasses
from typing import Any


@dataclasses.dataclass(frozen=True)
class EnterpriseEntry:
    """What one cycle found and did for one enterprise."""

    name: str
    status: str  # Synced, OutOfSync, Failed, Healing, HeldBack
    action: str  # applied, healed, observed, held back, failed, refused
    differences: tuple[str, ...] = ()
    journal: dict[str, Any] | None = None  # the apply journal, when it applied
    error: str | None = None


@dataclasses.dataclass(frozen=True)
class CycleEntry:
    """One cycle: its revision, what started it, when, how it ended, and per enterprise."""

    revision: str | None
    trigger: str  # interval, start, hook, sync, once
    started: float
    ended: float
    outcome: str  # applied, healed, in sync, drift, refused, failed, stopped
    note: str = ""
    enterprises: tuple[EnterpriseEntry, ...] = ()
    id: int | None = None

    def as_dict(self, *, journals: bool = False) -> dict[str, Any]:
        return {
            "id": self.id,
            "revision": self.revision,
            "trigger": self.trigger,
            "started": self.started,
            "ended": self.ended,
            "outcome": self.outcome,
            "note": self.note,
            "enterprises": [
                {
                    "name": e.name,
                    "status": e.status,
                    "action": e.action,
                    "differences": list(e.differences),
                    "error": e.error,
                    **({"journal": e.journal} if journals else {}),
                }
                for e in self.enterprises
            ],
        }
