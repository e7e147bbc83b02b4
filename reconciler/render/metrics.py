"""A run's figures in the Prometheus text format, for node_exporter's textfile collector
(`--metrics-file`), written through prometheus_client. Gauges describe the last run:
alert on `reconciler_drift_enterprise_differences > 0`, on
`reconciler_last_run_success == 0`, or on `time() - reconciler_last_run_timestamp_seconds`
growing past a night."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from prometheus_client import CollectorRegistry, Gauge, generate_latest

from reconciler.apply.outcome import Report
from reconciler.reports.drift import DriftReport
from reconciler.reports.runsummary import RunSummary


def text(
    run: RunSummary,
    *,
    success: bool,
    drift: DriftReport | None = None,
    report: Report | None = None,
    planned: int = 0,
) -> str:
    registry = CollectorRegistry()

    def gauge(name: str, doc: str, labels: tuple[str, ...] = ()) -> Gauge:
        return Gauge(name, doc, ["command", *labels], registry=registry)

    command = run.command
    gauge("reconciler_last_run_timestamp_seconds", "When the last run ended (Unix time).").labels(
        command
    ).set(run.ended)
    gauge("reconciler_last_run_success", "1 if the last run succeeded, else 0.").labels(
        command
    ).set(1 if success else 0)
    gauge("reconciler_run_duration_seconds", "Wall time of the last run.").labels(command).set(
        round(run.seconds, 3)
    )
    stage = gauge("reconciler_run_stage_seconds", "Time of each stage of the last run.", ("stage",))
    for name, seconds in run.stages.items():
        stage.labels(command, name).set(round(seconds, 3))
    cpu = gauge(
        "reconciler_run_stage_cpu_seconds", "CPU time of each stage of the last run.", ("stage",)
    )
    for name, seconds in run.cpu.items():
        cpu.labels(command, name).set(round(seconds, 3))
    responses = gauge(
        "reconciler_api_responses",
        "API answers in the last run by API and status (none: no answer came).",
        ("api", "status"),
    )
    for (api, status), count in run.tally.statuses().items():
        responses.labels(command, api, status).set(count)
    retries = gauge("reconciler_api_retries", "Retried API calls in the last run.", ("api",))
    for api, count in sorted(Counter(r.api for r in run.tally.retries).items()):
        retries.labels(command, api).set(count)
    if report is not None:
        changes = gauge(
            "reconciler_apply_changes", "Changes of the last apply by outcome.", ("outcome",)
        )
        for outcome in ("applied", "failed", "skipped"):
            changes.labels(command, outcome).set(report.count(outcome))
        changes.labels(command, "not_run").set(max(0, planned - len(report.outcomes)))
        check = report.convergence
        if check is not None:
            gauge(
                "reconciler_apply_converged",
                "1 if the re-read after the last apply planned nothing.",
            ).labels(command).set(1 if check.converged else 0)
    if drift is not None:
        _drift(drift, gauge, command)
    return generate_latest(registry).decode("utf-8")


def _drift(drift: DriftReport, gauge: Callable[..., Gauge], command: str) -> None:
    by_kind = gauge(
        "reconciler_drift_differences",
        "Differences between git and live in the last drift run, by enterprise and kind.",
        ("enterprise", "kind"),
    )
    total = gauge(
        "reconciler_drift_enterprise_differences",
        "Differences of each enterprise in the last drift run (0: in sync).",
        ("enterprise",),
    )
    unreadable = gauge(
        "reconciler_drift_enterprise_unreadable",
        "1 if the enterprise's live state could not be read in the last drift run.",
        ("enterprise",),
    )
    states = gauge(
        "reconciler_drift_enterprises", "Enterprises by state in the last drift run.", ("state",)
    )
    counted: Counter[str] = Counter()
    for enterprise in drift.enterprises:
        kinds = Counter(d.kind for d in enterprise.differences)
        for kind, count in sorted(kinds.items()):
            by_kind.labels(command, enterprise.name, kind).set(count)
        total.labels(command, enterprise.name).set(len(enterprise.differences))
        unreadable.labels(command, enterprise.name).set(1 if enterprise.error else 0)
        state = "unreadable" if enterprise.error else "drifted" if kinds else "in_sync"
        counted[state] += 1
    for state in ("in_sync", "drifted", "unreadable"):
        states.labels(command, state).set(counted[state])
