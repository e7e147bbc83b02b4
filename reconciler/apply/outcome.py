"""What applying a plan produced: one outcome per change, events as it goes."""

from __future__ import annotations

import dataclasses
from typing import Literal

Status = Literal["applied", "failed", "skipped"]


@dataclasses.dataclass(frozen=True)
class Outcome:
    change_id: str
    enterprise: str
    status: Status
    reason: str = ""  # why it failed or was skipped; never holds a secret


@dataclasses.dataclass(frozen=True)
class Event:
    """Reported as each change starts and finishes (progress bars, CI lines, --json)."""

    kind: Literal["start", "finish"]
    change_id: str
    done: int
    total: int
    outcome: Outcome | None = None


@dataclasses.dataclass(frozen=True)
class Report:
    outcomes: tuple[Outcome, ...]
    calls: int
    throttled: dict[str, int] = dataclasses.field(default_factory=dict)  # API -> 429s

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def ok(self) -> bool:
        return all(o.status == "applied" for o in self.outcomes)
