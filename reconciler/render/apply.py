"""How an apply ended: the summary line, the failures, and the JSON summary event."""

from __future__ import annotations

import json

from reconciler.apply.outcome import Report
from reconciler.plan.model import Plan
from reconciler.render.values import plural
from reconciler.reports import journal
from reconciler.reports.runsummary import RunSummary


def summary(report: Report, plan: Plan) -> str:
    applied, failed, skipped = (report.count(s) for s in ("applied", "failed", "skipped"))
    word = "complete" if report.ok and not plan.failed else "incomplete"
    if report.stopped:
        word = "stopped"
    line = (
        f"Apply {word}: {applied} applied, {failed} failed, {skipped} skipped "
        f"({plural(report.calls, 'API call')})"
    )
    check = report.convergence
    if check is not None and not check.converged:
        line += f"; not converged: {', '.join(check.unconverged)}"
    if plan.failed:
        names = ", ".join(e.name for e in plan.failed)
        line += f"; {plural(len(plan.failed), 'enterprise')} not applied: {names}"
    if report.waves:
        passed = sum(1 for w in report.waves if w.status == "passed")
        line += f"; health gates passed: {passed} of {plural(len(report.waves), 'wave')}"
        halted = report.halted
        if halted is not None:
            line += f"; halted after wave {halted.number} ({halted.name})"
        left = [n for w in report.waves if w.status == "not applied" for n in w.enterprises]
        if left:
            line += f"; not applied: {', '.join(left)}"
    if plan.held:
        names = ", ".join(e.name for e in plan.held)
        line += f"; {plural(len(plan.held), 'enterprise')} held back by change windows: {names}"
    elif plan.ignoredWindows:
        line += "; change windows ignored (--ignore-windows)"
    return line + "."


def converged(report: Report) -> str | None:
    """The line that says the re-read after the calls planned nothing."""
    check = report.convergence
    if check is None or not check.converged:
        return None
    count = len(check.checked)
    noun = "enterprise" if count == 1 else "enterprises"
    return (
        f"Converged: a re-read of the {count} changed {noun} plans no changes "
        f"({plural(check.calls, 'API call')})."
    )


def details(report: Report, plan: Plan) -> list[str]:
    """For stderr: every change that did not apply and every enterprise left out, with why,
    and how often each vendor throttled."""
    lines = [
        f"  {o.status}: {o.change_id}: {o.reason}" for o in report.outcomes if o.status != "applied"
    ]
    lines += [f"  not applied: {p.enterprise}: {p.message}" for p in plan.problems]
    for wave in report.waves:
        gate = wave.gate
        if gate is not None and not gate.ok:
            lines.append(
                f"  health gate of wave {wave.number} ({wave.name}, {gate.kind}) failed: "
                f"{gate.reason}"
            )
            lines += [
                f"    {t.number} ({t.enterprise}): {t.status}"
                + (f", landed at {t.landed}" if t.landed else "")
                for t in gate.texted
                if not t.ok
            ]
    if report.convergence is not None:
        failed = {o.enterprise for o in report.outcomes if o.status == "failed"}
        for remaining in report.convergence.remaining:
            why = ""
            if "/sync/" in remaining and remaining.split(" ", 1)[-1].split("/")[0] in failed:
                why = " (sent again with the change that failed, by the next apply)"
            lines.append(f"  remains after apply: {remaining}{why}")
        lines += [f"  cannot be planned after apply: {p}" for p in report.convergence.problems]
    lines += [
        f"  throttled: {api} answered 429 to {plural(count, 'request')}; "
        "the request rate backed off and recovered (the requests were retried)"
        for api, count in sorted(report.throttled.items())
    ]
    return lines


def as_json(report: Report, plan: Plan, run: RunSummary | None = None) -> str:
    return json.dumps(
        {
            "event": "summary",
            "applied": report.count("applied"),
            "failed": report.count("failed"),
            "skipped": report.count("skipped"),
            "calls": report.calls,
            "throttled": dict(sorted(report.throttled.items())),
            "notApplied": [
                {"enterprise": p.enterprise, "kind": p.kind, "message": p.message}
                for p in plan.problems
            ],
            "convergence": _convergence(report),
            "waves": journal.waves(report),
            "run": run.as_dict() if run else None,
        },
        sort_keys=True,
    )


def _convergence(report: Report) -> dict[str, object] | None:
    check = report.convergence
    if check is None:
        return None
    return {
        "converged": check.converged,
        "checked": list(check.checked),
        "unconverged": list(check.unconverged),
        "remaining": list(check.remaining),
        "problems": list(check.problems),
        "calls": check.calls,
    }
