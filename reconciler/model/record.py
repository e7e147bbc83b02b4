"""The record of a run's API calls: one `Call` per attempt sent, one `Retry` per failed
attempt tried again, and a `Tally` of a stretch of the run. Frozen values: providers/
write them (through its telemetry), reports/ and the journal read them.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any


@dataclasses.dataclass(frozen=True)
class Call:
    """One request sent (each attempt one): what for, where, its answer and how long."""

    at: float  # wall clock (epoch seconds) when it was sent
    api: str
    operation: str
    method: str
    path: str  # the template: /sms/getSMSUsers/{enterpriseId}
    url: str  # the path sent, without the query string: /connecttoteams/sms/getSMSUsers/78
    status: int | None  # None: no answer (timeout, connection lost or refused)
    attempt: int
    queued_ms: float  # waiting for a slot and for the rate limit
    latency_ms: float
    enterprise: str = ""
    change: str = ""
    stage: str = ""
    error: str = ""  # why it failed when no status says it (timed out, connection lost)

    def fields(self) -> dict[str, Any]:
        """The record as the logs and the journal spell it."""
        return {
            "enterprise": self.enterprise or None,
            "change": self.change or None,
            "stage": self.stage or None,
            "api": self.api,
            "operation": self.operation,
            "method": self.method,
            "path": self.path,
            "url": self.url,
            "status": self.status,
            "attempt": self.attempt,
            "queuedMs": round(self.queued_ms, 1),
            "latencyMs": round(self.latency_ms, 1),
            **({"error": self.error} if self.error else {}),
        }


@dataclasses.dataclass(frozen=True)
class Retry:
    """A failed attempt that will be tried again after `wait` seconds."""

    api: str
    operation: str
    attempt: int  # the attempt that failed
    wait: float
    reason: str
    enterprise: str = ""
    change: str = ""


@dataclasses.dataclass(frozen=True)
class Tally:
    """The calls and retries of a stretch of the run."""

    calls: tuple[Call, ...] = ()
    retries: tuple[Retry, ...] = ()

    def throttled(self) -> dict[str, int]:
        """429 answers by API."""
        return dict(sorted(Counter(c.api for c in self.calls if c.status == 429).items()))

    def statuses(self) -> dict[tuple[str, str], int]:
        """Answers by (API, status); `none` when no answer came."""
        counted = Counter((c.api, str(c.status or "none")) for c in self.calls)
        return dict(sorted(counted.items()))
