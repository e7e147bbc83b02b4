"""Build a drift report from a plan and the live facts. Pure.

One entry per object and field: what git says, what is live, and what `apply` would do;
plus unmanaged live objects, numbers held live by SMS users or groups no manifest names,
Unified Apps not synced, and the conflicts that would stop a plan. An enterprise whose
live state could not be read carries that `error` instead.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from reconciler.model import live, state
from reconciler.model.kinds import Frozen
from reconciler.plan.model import Change, Plan
from reconciler.reports.inventory import wanted

FORMAT_VERSION = 1


class Difference(Frozen):
    kind: str  # connecttoteams, contextsms, smsUser, smsGroup, mapping, number, sync, conflict
    key: str
    field: str | None = None
    git: Any = None
    live: Any = None
    action: str  # create, update, delete, sync, unmanaged, error

    def describe(self) -> str:
        return f"{self.kind} {self.key}".strip() + (f" {self.field}" if self.field else "")


class EnterpriseDrift(Frozen):
    name: str
    ids: dict[str, Any]
    differences: tuple[Difference, ...] = ()
    error: str | None = None  # its live state could not be read: why, naming the call

    @property
    def failed(self) -> bool:
        """It could not be read, or a difference blocks apply (a conflict)."""
        return self.error is not None or any(d.action == "error" for d in self.differences)


class DriftReport(Frozen):
    formatVersion: int = FORMAT_VERSION
    enterprises: tuple[EnterpriseDrift, ...] = ()
    summary: dict[str, int] = Field(default_factory=dict)

    @property
    def in_sync(self) -> bool:
        return not any(e.differences or e.error for e in self.enterprises)

    @property
    def failed(self) -> tuple[EnterpriseDrift, ...]:
        return tuple(e for e in self.enterprises if e.failed)


def build(plan: Plan, found: live.Live, desired: state.State) -> DriftReport:
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
            Difference(kind=u.kind, key=u.key, live=u.detail or None, action="unmanaged")
            for u in planned.unmanaged
        ]
        differences += _stray_numbers(
            found.enterprises.get(planned.name), desired.enterprises[planned.name]
        )
        differences += [
            Difference(kind="conflict", key=p.object, live=p.message, action="error")
            for p in planned.problems
        ]
        enterprises.append(
            EnterpriseDrift(name=planned.name, ids=planned.ids, differences=tuple(differences))
        )
    counts: dict[str, int] = {}
    for enterprise in enterprises:
        for difference in enterprise.differences:
            counts[difference.action] = counts.get(difference.action, 0) + 1
    return DriftReport(enterprises=tuple(enterprises), summary=dict(sorted(counts.items())))


def _from_change(change: Change) -> list[Difference]:
    if change.action == "sync":
        if (change.before or {}).get("appSynced") is not False:
            return []  # a sync that only follows other drift is not drift itself
        return [
            Difference(
                kind="sync",
                key="Unified App",
                field="appSynced",
                git=True,
                live=False,
                action="sync",
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
        )
    ]


def _stray_numbers(
    facts: live.LiveEnterprise | None, desired: state.Enterprise
) -> list[Difference]:
    """Numbers an SMS user or group holds live that no manifest gives to anyone."""
    c2t = facts.connecttoteams if facts else None
    if c2t is None:
        return []
    wants = wanted(desired)
    return [
        Difference(kind="number", key=number, live=item.holder.describe(), action="unmanaged")
        for number, item in sorted(c2t.inventory.items())
        if item.holder is not None and item.holder.type != "OTHER" and number not in wants
    ]
