"""The agent's Prometheus metrics (GET /metrics), kept across cycles in one registry:
each enterprise's sync status, cycle durations, the vendors' answers and 429s, the last
time each enterprise was in sync, the notification targets' deliveries.

    reconciler_enterprise_sync_status{enterprise,status}   1 for the current status
    reconciler_enterprise_last_synced_timestamp_seconds{enterprise}
    reconciler_cycle_duration_seconds                       histogram
    reconciler_cycles_total{outcome}
    reconciler_api_responses_total{api,status}              every answer of every run
    reconciler_api_throttled_total{api}                     429s
    reconciler_notifications{target,result}                 sent / failed (a gauge: since start)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from reconciler.reports.status import STATUSES, EnterpriseStatus, TargetStatus

if TYPE_CHECKING:
    from reconciler import api
    from reconciler.agent.history import CycleEntry


class AgentMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self._lock = threading.Lock()
        self.sync = Gauge(
            "reconciler_enterprise_sync_status",
            "1 for the enterprise's current sync status, 0 for the others.",
            ["enterprise", "status"],
            registry=self.registry,
        )
        self.synced = Gauge(
            "reconciler_enterprise_last_synced_timestamp_seconds",
            "When the enterprise was last found or made in sync with git (Unix time).",
            ["enterprise"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "reconciler_cycle_duration_seconds",
            "How long the agent's cycles take.",
            buckets=(0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600),
            registry=self.registry,
        )
        self.cycles = Counter(
            "reconciler_cycles", "Cycles by outcome.", ["outcome"], registry=self.registry
        )
        self.responses = Counter(
            "reconciler_api_responses",
            "Answers of the vendors' APIs by API and status (none: no answer came).",
            ["api", "status"],
            registry=self.registry,
        )
        self.throttled = Counter(
            "reconciler_api_throttled",
            "Requests the vendors answered 429.",
            ["api"],
            registry=self.registry,
        )
        self.notifications = Gauge(
            "reconciler_notifications",
            "Notices delivered to each target, or not, since the agent started.",
            ["target", "result"],
            registry=self.registry,
        )

    def run(self, summary: api.RunSummary | None) -> None:
        """Count the answers of one run (a drift's read, an apply)."""
        if summary is None:
            return
        with self._lock:
            for (name, status), count in summary.tally.statuses().items():
                self.responses.labels(name, status).inc(count)
            for name, count in summary.tally.throttled().items():
                self.throttled.labels(name).inc(count)

    def cycle(self, entry: CycleEntry, statuses: Mapping[str, EnterpriseStatus]) -> None:
        with self._lock:
            self.duration.observe(max(0.0, entry.ended - entry.started))
            self.cycles.labels(entry.outcome).inc()
            for name, current in dict(statuses).items():
                for status in STATUSES:
                    self.sync.labels(name, status).set(1 if current.status == status else 0)
                if current.last_synced is not None:
                    self.synced.labels(name).set(current.last_synced)

    def text(self, targets: Sequence[TargetStatus]) -> str:
        with self._lock:
            for target in targets:
                self.notifications.labels(target.name, "sent").set(target.sent)
                self.notifications.labels(target.name, "failed").set(target.failed)
            return generate_latest(self.registry).decode("utf-8")
