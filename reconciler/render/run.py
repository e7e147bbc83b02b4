"""The run summary line: what a run cost, for stderr after apply, drift and verify."""

from __future__ import annotations

from reconciler.reports.run import RunSummary


def plural(count: int, noun: str, many: str | None = None) -> str:
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def summary(run: RunSummary) -> str:
    costs = [plural(run.retries, "retry", "retries")]
    throttled = sum(run.throttled.values())
    if throttled:
        costs.append(f"{plural(throttled, 'answer')} 429")
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.stages.items())
    return (
        f"Run: {run.seconds:.1f} s, {plural(run.calls, 'API call')} ({', '.join(costs)})"
        + (f"; {stages}" if stages else "")
        + "."
    )
