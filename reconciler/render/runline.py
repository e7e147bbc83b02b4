"""The run summary line: what a run cost, for stderr after apply, drift and verify."""

from __future__ import annotations

from reconciler.render.values import plural
from reconciler.reports.runsummary import RunSummary


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
