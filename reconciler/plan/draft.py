"""The planner's working state for one enterprise: changes being built, number moves,
problems and warnings. Mutable while planning; frozen into plan values at the end."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from reconciler.model import kinds, state
from reconciler.model import live as livemodel
from reconciler.model.problem import Problem, ProblemKind
from reconciler.plan.calls import Compiler
from reconciler.plan.model import Action, Call, Change, FieldChange, Unmanaged


@dataclasses.dataclass
class Draft:
    """A change under construction."""

    kind: kinds.ChangeKind
    key: str
    action: Action
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    calls: list[Call]
    reason: str = ""
    acquires: set[str] = dataclasses.field(default_factory=set)  # numbers it assigns
    releases: set[str] = dataclasses.field(default_factory=set)  # numbers it frees
    lets_go: set[str] = dataclasses.field(default_factory=set)  # ...that no one holds after
    depends: set[str] = dataclasses.field(default_factory=set)

    def freeze(self, enterprise: str, change_id: str) -> Change:
        return Change(
            runsAfterFailures=kinds.KINDS[self.kind].after_failures,
            id=change_id,
            enterprise=enterprise,
            kind=self.kind,
            key=self.key,
            action=self.action,
            before=self.before,
            after=self.after,
            fields=changed_fields(self.before, self.after) if self.action == "update" else (),
            reason=self.reason,
            calls=tuple(sorted(self.calls, key=lambda c: c.phase)),
            dependsOn=tuple(sorted(self.depends)),
            releases=tuple(sorted(self.lets_go)),
        )


def changed_fields(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[FieldChange, ...]:
    """The top-level fields that differ, lists compared without regard to order (the
    vendors return numbers and members in any order)."""
    if before is None or after is None:
        return ()
    roots = [
        k
        for k in sorted(set(before) | set(after))
        if (k in before) != (k in after) or _unordered(before[k]) != _unordered(after[k])
    ]
    return tuple(FieldChange(field=k, before=before.get(k), after=after.get(k)) for k in roots)


def _unordered(value: Any) -> Any:
    """`value` with every list sorted (by its items' JSON), so order never differs."""
    if isinstance(value, dict):
        return {k: _unordered(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [_unordered(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


@dataclasses.dataclass
class Context:
    """Everything the per-kind planners need for one enterprise."""

    desired: state.Enterprise
    live: livemodel.LiveEnterprise | None
    compiler: Compiler
    drafts: list[Draft] = dataclasses.field(default_factory=list)
    unmanaged: list[Unmanaged] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    warnings: list[str] = dataclasses.field(default_factory=list)
    section_changes: set[str] = dataclasses.field(default_factory=set)

    @property
    def name(self) -> str:
        return self.desired.name

    @property
    def live_state(self) -> state.Enterprise:
        if self.live is None:
            return state.Enterprise(name=self.name)
        return self.live.state

    @property
    def c2t(self) -> livemodel.ConnecttoTeamsLive | None:
        return self.live.connecttoteams if self.live else None

    @property
    def inventory(self) -> dict[str, livemodel.InventoryNumber]:
        return self.c2t.inventory if self.c2t else {}

    def add(self, draft: Draft) -> None:
        self.drafts.append(draft)

    def change_id(self, kind: str, key: str) -> str:
        return f"{self.name}/{kind}/{key}"

    def did_ids(self, numbers: set[str] | tuple[str, ...]) -> list[int]:
        """DID ids of numbers in the inventory (missing ones are reported elsewhere)."""
        return sorted(self.inventory[n].didId for n in numbers if n in self.inventory)

    def problem(self, kind: ProblemKind, message: str, about: str = "") -> None:
        self.problems.append(
            Problem(kind=kind, enterprise=self.name, message=message, object=about)
        )
