"""Build a drift report from a plan and the live facts. Pure.

One entry per object and field: what git says, what is live, what `apply` would do and
a hint of what to do about it; plus unmanaged live objects (an unmanaged SMS user or group
is one entry with the numbers it holds), numbers held live by someone the manifests do not
give them to, Unified Apps not synced, and the conflicts that would stop a plan. An
enterprise whose live state could not be read carries that `error` instead.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

import pydantic
from pydantic import Field

from reconciler.errors import ReconcilerError
from reconciler.model import kinds, live, state
from reconciler.model.kinds import Frozen
from reconciler.model.problem import Problem
from reconciler.plan.model import Change, Plan
from reconciler.reports.inventory import wanted
from reconciler.reports.provenance import Provenance, from_dict
from reconciler.reports.runsummary import RunSummary

FORMAT_VERSION = 1


class Difference(Frozen):
    """One difference between git and live: an object (and field), both values, what apply
    would do (or `unmanaged`, `error`) and what to do about it."""

    kind: str  # connecttoteams, contextsms, smsUser, smsGroup, mapping, number, sync, conflict
    key: str
    field: str | None = None
    git: Any = None
    live: Any = None
    action: str  # create, update, delete, sync, unmanaged, error
    hint: str = ""  # what to do about it

    def describe(self) -> str:
        return f"{self.kind} {self.key}".strip() + (f" {self.field}" if self.field else "")


class EnterpriseDrift(Frozen):
    """One enterprise's differences, or the `error` that kept it from being read."""

    name: str
    ids: dict[str, Any]
    differences: tuple[Difference, ...] = ()
    error: str | None = None  # its live state could not be read: why, naming the call

    @property
    def failed(self) -> bool:
        """It could not be read, or a difference blocks apply (a conflict)."""
        return self.error is not None or any(d.action == "error" for d in self.differences)


class DriftReport(Frozen):
    """What differs between the manifests and the live platforms, per enterprise; `in_sync`
    when nothing does. `cost` is what the run cost (not in the JSON; `run` is)."""

    formatVersion: int = FORMAT_VERSION
    enterprises: tuple[EnterpriseDrift, ...] = ()
    summary: dict[str, int] = Field(default_factory=dict)
    provenance: Provenance | None = None  # when, which version, commit and targets
    run: dict[str, Any] | None = None  # what the run cost, as its JSON says it
    cost: RunSummary | None = Field(default=None, exclude=True)  # the same, whole (metrics)

    @property
    def in_sync(self) -> bool:
        return not any(e.differences or e.error for e in self.enterprises)

    @property
    def failed(self) -> tuple[EnterpriseDrift, ...]:
        return tuple(e for e in self.enterprises if e.failed)


HINTS = {
    "create": "run apply to create it, or remove it from the manifest",
    "update": "run apply to restore the manifest's value, or write the live value in the manifest",
    "delete": "run apply to delete it (prune is on), or add it to the manifest",
    "sync": "run apply: it syncs the Teams Unified App",
    "unmanaged": "add it to a manifest (reconciler export writes it), or set policy.prune: "
    "true to delete it",
}
READ_HINT = "check the vendor's status and the credentials (reconciler doctor), then run again"


def hint(action: str, problem: Problem | None = None) -> str:
    """What to do about a difference (or a problem that blocks apply)."""
    if problem is None:
        return HINTS.get(action, "")
    if problem.kind == "precondition" and "inventory" in problem.message:
        return "upload the number to the inventory (reconciler numbers missing writes the CSV)"
    return {
        "precondition": "fix the number on the platform (capability, carrier profile), then "
        "run again",
        "conflict": "free the number or change the manifest, then plan again",
        "safety": "review the plan, then apply with --force",
        "payment": "settle the ContextSMS payment, or turn policy.requirePayment off",
        "read": READ_HINT,
    }[problem.kind]


def build(
    plan: Plan,
    found: live.Live,
    desired: state.State,
    provenance: Provenance | None = None,
    run: RunSummary | None = None,
) -> DriftReport:
    enterprises = []
    for planned in plan.enterprises:
        unread = found.failed.get(planned.name)
        if unread is not None:
            enterprises.append(
                EnterpriseDrift(name=planned.name, ids=planned.ids, error=unread.message)
            )
            continue
        differences = [d for change in planned.changes for d in _from_change(change)]
        differences += [
            Difference(
                kind=u.kind,
                key=u.key,
                live=_held(u.kind, u.detail),
                action="unmanaged",
                hint=HINTS["unmanaged"],
            )
            for u in planned.unmanaged
        ]
        reported = {(u.kind, u.key) for u in planned.unmanaged}
        differences += _stray_numbers(
            found.enterprises.get(planned.name), desired.enterprises[planned.name], reported
        )
        differences += [
            Difference(
                kind=kinds.CONFLICT,
                key=p.object,
                live=p.message,
                action="error",
                hint=hint("", p),
            )
            for p in planned.problems
        ]
        enterprises.append(
            EnterpriseDrift(name=planned.name, ids=planned.ids, differences=tuple(differences))
        )
    return DriftReport(
        enterprises=tuple(enterprises),
        summary=_summary(enterprises),
        provenance=provenance,
        run=run.as_dict() if run else None,
        cost=run,
    )


def _summary(enterprises: Iterable[EnterpriseDrift]) -> dict[str, int]:
    """How many differences of each action, sorted by action."""
    counts = Counter(d.action for e in enterprises for d in e.differences)
    return dict(sorted(counts.items()))


def load(text: str, where: str) -> DriftReport:
    """A drift report read back from its JSON (`drift --format json`)."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
            raise ValueError(f"not a drift report of format version {FORMAT_VERSION}")
        about = data.pop("provenance", None)
        data.pop("inSync", None)
        report = DriftReport.model_validate(data)
    except (ValueError, KeyError, pydantic.ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ReconcilerError(
            f"{where}: not a drift report written by `reconciler drift --format json` ({first})"
        ) from None
    return report.model_copy(update={"provenance": from_dict(about) if about else None})


def merge(reports: list[tuple[str, DriftReport]]) -> DriftReport:
    """The shards' reports as one: every enterprise once (in two shards is an error),
    counts recomputed, the runs' costs added up, the first shard's provenance."""
    seen: dict[str, str] = {}
    enterprises: list[EnterpriseDrift] = []
    for where, report in reports:
        for enterprise in report.enterprises:
            if enterprise.name in seen:
                raise ReconcilerError(
                    f"enterprise '{enterprise.name}' is in two shards' reports "
                    f"({seen[enterprise.name]} and {where}): the shards must not overlap"
                )
            seen[enterprise.name] = where
            enterprises.append(enterprise)
    enterprises.sort(key=lambda e: e.name)
    runs = [r.run for _, r in reports if r.run]
    run = {
        "command": "drift",
        "shards": len(reports),
        "seconds": max((float(r.get("seconds", 0)) for r in runs), default=0.0),
        "calls": sum(int(r.get("calls", 0)) for r in runs),
        "retries": sum(int(r.get("retries", 0)) for r in runs),
    }
    return DriftReport(
        enterprises=tuple(enterprises),
        summary=_summary(enterprises),
        provenance=next((r.provenance for _, r in reports if r.provenance), None),
        run=run,
    )


def _from_change(change: Change) -> list[Difference]:
    if change.kind == kinds.SYNC:
        if (change.before or {}).get("appSynced") is not False:
            return []  # a sync that only follows other drift is not drift itself
        return [
            Difference(
                kind=kinds.SYNC,
                key="Unified App",
                field="appSynced",
                git=True,
                live=False,
                action="sync",
                hint=HINTS["sync"],
            )
        ]
    if change.action == "update":
        return [
            Difference(
                kind=change.kind,
                key=change.key,
                field=f.field,
                git=f.after,
                live=f.before,
                action="update",
                hint=HINTS["update"],
            )
            for f in change.fields
        ]
    return [
        Difference(
            kind=change.kind,
            key=change.key,
            git=change.after,
            live=change.before,
            action=change.action,
            hint=HINTS[change.action],
        )
    ]


def _held(kind: str, detail: str) -> str | None:
    if kinds.KINDS[kind].holder:  # an SMS user or group: what it holds
        return f"holds {detail}" if detail else "holds no number"
    return detail or None


def _stray_numbers(
    facts: live.LiveEnterprise | None,
    desired: state.Enterprise,
    reported: set[tuple[str, str]],
) -> list[Difference]:
    """Numbers an SMS user or group holds live that no manifest gives to anyone, one entry
    per holder; those of an unmanaged user or group are on its own entry already."""
    c2t = facts.connecttoteams if facts else None
    if c2t is None:
        return []
    wants = wanted(desired)
    held: dict[tuple[str, str], list[str]] = {}
    for number, item in sorted(c2t.inventory.items()):
        holder = item.holder
        if holder is None or holder.type == "OTHER" or number in wants:
            continue
        kind = kinds.HOLDERS[holder.type]
        if (kind.name, holder.name) in reported:
            continue
        held.setdefault((kind.name, holder.name), []).append(number)
    return [
        Difference(
            kind=kinds.NUMBER,
            key=", ".join(numbers),
            live=f"held by {kinds.KINDS[kind].label} '{name}'",
            action="unmanaged",
            hint="give the number to its holder in the manifest, or release it on the platform",
        )
        for (kind, name), numbers in held.items()
    ]
