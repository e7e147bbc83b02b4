"""The apply journal: the record of one apply to keep as a CI artifact or for an audit.
Pure: built from the plan, the apply's outcomes, the run's calls and its provenance.

Every call the run sent is in it once: under the change it served (with the attempt,
status and latency of each try), or in `otherCalls` (the read before, the logins, the
re-read after). Never a header, body or query string, so never a secret.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from reconciler.apply.outcome import Report
from reconciler.model.record import Call
from reconciler.plan.model import Plan
from reconciler.reports.provenance import Provenance, iso
from reconciler.reports.runsummary import RunSummary

JOURNAL_VERSION = 2  # 2: `verified` became `convergence` (the re-read after the calls)


def build(plan: Plan, report: Report, run: RunSummary, provenance: Provenance) -> dict[str, Any]:
    by_change: dict[str, list[Call]] = defaultdict(list)
    other: list[Call] = []
    for call in run.tally.calls:
        (by_change[call.change] if call.change else other).append(call)
    retried: dict[str, int] = defaultdict(int)
    for retry in run.tally.retries:
        if retry.change:
            retried[retry.change] += 1
    outcomes = {o.change_id: o for o in report.outcomes}
    changes = []
    for change in plan.changes:
        outcome = outcomes.get(change.id)
        calls = by_change.get(change.id, [])
        changes.append(
            {
                "id": change.id,
                "enterprise": change.enterprise,
                "kind": change.kind,
                "key": change.key,
                "action": change.action,
                "status": outcome.status if outcome else "not run",
                "reason": outcome.reason if outcome else "",
                "startedAt": iso(outcome.started) if outcome and outcome.started else None,
                "seconds": round(outcome.seconds, 3) if outcome else 0.0,
                "plannedCalls": len(change.calls),
                "attempts": len(calls),
                "retries": retried.get(change.id, 0),
                "calls": [_call(c, with_scope=False) for c in calls],
            }
        )
    check = report.convergence
    return {
        "journalVersion": JOURNAL_VERSION,
        "command": run.command,
        "startedAt": iso(run.started),
        "endedAt": iso(run.ended),
        "seconds": round(run.seconds, 3),
        "outcome": "complete" if report.ok and not plan.failed else "incomplete",
        "stopped": report.stopped,
        **provenance.as_dict(),
        "manifestDigest": plan.manifestDigest,
        "ignoredWindows": plan.ignoredWindows,
        "totals": {
            "changes": len(plan.changes),
            "applied": report.count("applied"),
            "failed": report.count("failed"),
            "skipped": report.count("skipped"),
            "notApplied": len(plan.failed),
            "heldBack": len(plan.held),
            "calls": run.calls,
            "retries": run.retries,
            "throttled": run.throttled,
        },
        "stages": {name: round(s, 3) for name, s in run.stages.items()},
        "changes": changes,
        "notApplied": [
            {"enterprise": p.enterprise, "kind": p.kind, "message": p.message}
            for p in plan.problems
        ],
        "heldBack": [
            {"enterprise": e.name, "reason": e.heldBack, "changes": len(e.changes)}
            for e in plan.held
        ],
        "waves": waves(report),
        "convergence": None
        if check is None
        else {
            "converged": check.converged,
            "checked": list(check.checked),
            "remaining": list(check.remaining),
            "problems": list(check.problems),
        },
        "otherCalls": [_call(c, with_scope=True) for c in other],
    }


def waves(report: Report) -> list[dict[str, Any]]:
    """Each wave of a rollout, its gate and its test messages (JSON-ready)."""
    return [
        {
            "wave": w.number,
            "name": w.name,
            "enterprises": list(w.enterprises),
            "status": w.status,
            "gate": None
            if w.gate is None
            else {
                "kind": w.gate.kind,
                "ok": w.gate.ok,
                "reason": w.gate.reason,
                "texted": [
                    {
                        "enterprise": t.enterprise,
                        "number": t.number,
                        "status": t.status,
                        "ok": t.ok,
                        "seconds": None if t.seconds is None else round(t.seconds, 3),
                        "landed": t.landed,
                    }
                    for t in w.gate.texted
                ],
            },
        }
        for w in report.waves
    ]


def _call(call: Call, *, with_scope: bool) -> dict[str, Any]:
    fields = call.fields()
    if not with_scope:
        del fields["enterprise"], fields["change"]
    return {"at": iso(call.at), **fields}
