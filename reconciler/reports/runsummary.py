"""What one run cost: wall time, API calls, retries, 429s and the time and CPU of each
stage (read, plan, apply, verify). Pure: built from the telemetry's tally and the times
the engine measured; shown after apply, drift and verify, and kept in the JSON outputs,
the journal and the metrics."""

from __future__ import annotations

import dataclasses
from typing import Any

from reconciler.model.record import Tally


@dataclasses.dataclass(frozen=True)
class RunSummary:
    """What one run cost: wall time, each stage's time, and every call and retry it made."""

    command: str
    started: float  # epoch seconds
    ended: float
    stages: dict[str, float]  # seconds spent in each stage, in the order they ran
    tally: Tally
    waited: float = 0.0  # seconds a person took to review the plan: not the run's cost
    cpu: dict[str, float] = dataclasses.field(default_factory=dict)  # CPU seconds per stage

    @property
    def seconds(self) -> float:
        return max(0.0, self.ended - self.started - self.waited)

    @property
    def calls(self) -> int:
        return len(self.tally.calls)

    @property
    def retries(self) -> int:
        return len(self.tally.retries)

    @property
    def throttled(self) -> dict[str, int]:
        return self.tally.throttled()

    def as_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "seconds": round(self.seconds, 3),
            "calls": self.calls,
            "retries": self.retries,
            "throttled": self.throttled,
            "stages": {name: round(s, 3) for name, s in self.stages.items()},
            "cpu": {name: round(s, 3) for name, s in self.cpu.items()},
            "responses": [
                {"api": api, "status": status, "count": count}
                for (api, status), count in self.tally.statuses().items()
            ],
        }
