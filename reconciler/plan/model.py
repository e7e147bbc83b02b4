"""Plan values: Call, Change, EnterprisePlan, Plan. Frozen, serializable, deterministic.

A value known only after apply (the id of an enterprise or group about to be created)
is written `{"$ref": "<enterprise>/<what>"}` wherever it is needed; the call that
produces it says so in `produces`.
"""

from __future__ import annotations

import os
import pathlib
from typing import Any, Literal

from pydantic import Field

from reconciler.model.kinds import ChangeKind, Frozen
from reconciler.model.problem import Problem

Action = Literal["create", "update", "delete", "sync"]
FORMAT_VERSION = 1


def ref(name: str) -> dict[str, str]:
    return {"$ref": name}


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$ref"}


class Call(Frozen):
    """One API request of a change. `phase` orders calls across the whole enterprise."""

    api: str  # the vendor: reconciler.yaml's providers.<api>
    operation: str
    method: str
    path: str  # template; placeholders are filled from pathParams
    pathParams: dict[str, Any] = Field(default_factory=dict)
    body: Any = None
    phase: int
    produces: dict[str, str] = Field(default_factory=dict)  # ref name -> field of the answer

    def rendered_path(self) -> str:
        values = {k: "(known after apply)" if is_ref(v) else v for k, v in self.pathParams.items()}
        return self.path.format(**values)


class FieldChange(Frozen):
    field: str
    before: Any
    after: Any


class Change(Frozen):
    """A resource-level change.

    before: the live object (None for create); after: the desired object (None for
    delete). For `sync`, before/after are {"appSynced": bool}. `fields` lists only the
    top-level fields that differ; `reason` is for display only. `runsAfterFailures`: the
    change runs even when one it depends on failed (Sync Unified App does: whatever did
    change must reach Teams); the planner sets it from the kind's registry entry.
    """

    id: str
    enterprise: str
    kind: ChangeKind
    key: str
    action: Action
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""
    calls: tuple[Call, ...] = ()
    dependsOn: tuple[str, ...] = ()
    runsAfterFailures: bool = False
    releases: tuple[str, ...] = ()  # numbers it leaves with no holder (--allow-release)

    @property
    def phase(self) -> int:
        return min((c.phase for c in self.calls), default=0)


class Unmanaged(Frozen):
    """A live object no manifest describes; reported, never touched (without prune)."""

    kind: str
    key: str
    detail: str = ""


class Impact(Frozen):
    """What an enterprise's changes mean to the people who text, counted: users who get
    SMS, start texting from new numbers, stop texting from some, lose SMS; groups made,
    deleted, gaining or losing members; numbers moving to another Teams channel, starting
    or stopping reaching Teams; the platforms it is new on; and the safety threshold's
    figure (updates and deletes of managed objects against policy.maxChangePercent)."""

    usersGetSms: int = 0
    usersGainNumbers: int = 0
    usersLoseNumbers: int = 0
    usersLoseSms: int = 0
    groupsCreated: int = 0
    groupsDeleted: int = 0
    groupsGainMembers: int = 0
    membersAdded: int = 0
    groupsLoseMembers: int = 0
    membersRemoved: int = 0
    numbersMoveChannel: int = 0
    numbersMapped: int = 0
    numbersUnmapped: int = 0
    groupsRenamed: int = 0
    groupsGainNumbers: int = 0
    groupsLoseNumbers: int = 0
    otherUpdates: int = 0  # updates none of the above says (a tag, an owner, services...)
    numbersReleased: int = 0  # left with no user, group or mapping (needs --allow-release)
    newOn: tuple[str, ...] = ()  # the vendors it is created on: connecttoteams, contextsms
    managed: int = 0  # managed objects (users, groups, mappings) it has
    changedManaged: int = 0  # of which updated or deleted
    maxChangePercent: int = 30


class EnterprisePlan(Frozen):
    """One enterprise's part of the plan. With `problems` it failed: the problems say why,
    and its changes (kept to show what it would take) are not the plan's: nothing is
    applied to it. With `heldBack` (outside its change windows) its changes wait, shown
    but not applied, and that is no failure."""

    name: str
    ids: dict[str, Any]  # {"connecttoteams": 78 | None, "contextsms": "E0000090" | None}
    changes: tuple[Change, ...] = ()
    unmanaged: tuple[Unmanaged, ...] = ()
    warnings: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    heldBack: str = ""  # why its changes wait (a change window): not applied, not failed
    impact: Impact | None = None  # what its changes mean (the planner always says)

    @property
    def failed(self) -> bool:
        return bool(self.problems)

    @property
    def applies(self) -> bool:
        """Whether apply makes its changes: neither failed nor held back."""
        return not self.problems and not self.heldBack


class Summary(Frozen):
    create: int = 0
    update: int = 0
    delete: int = 0
    sync: int = 0
    failed: int = 0  # enterprises that could not be read or planned
    heldBack: int = 0  # enterprises whose changes wait for a change window

    @property
    def total(self) -> int:
        return self.create + self.update + self.delete + self.sync


class Origin(Frozen):
    """Where a plan was made, so that a saved one travels (engine/origin.py): the manifest
    paths and the config, relative to `root` (the git work tree's top, or outside git the
    directory it was made in; absolute when outside it), and the commit."""

    root: str
    git: bool = False
    commit: str | None = None
    paths: tuple[str, ...] = (".",)
    config: str | None = None


class Plan(Frozen):
    """What apply would do, per enterprise; saved and loaded by `plan.planfile` (through
    `save`, `load` and `to_json` here)."""

    formatVersion: int = FORMAT_VERSION
    enterprises: tuple[EnterprisePlan, ...] = ()
    summary: Summary = Field(default_factory=Summary)
    manifestDigest: str = ""
    liveFingerprint: dict[str, str] = Field(default_factory=dict)  # change id -> digest
    paths: tuple[str, ...] = ()  # the manifest paths as they were given
    origin: Origin | None = None  # where it was made: what `apply PLAN` finds again
    forced: bool = False  # made with --force (over maxChangePercent)
    ignoredWindows: bool = False  # made with --ignore-windows (change windows not held)
    allowedRelease: bool = False  # made with --allow-release (numbers may lose every holder)

    @property
    def changes(self) -> tuple[Change, ...]:
        """What apply does: the changes of every enterprise neither failed nor held back."""
        return tuple(c for e in self.enterprises if e.applies for c in e.changes)

    @property
    def failed(self) -> tuple[EnterprisePlan, ...]:
        """The enterprises that could not be read or planned."""
        return tuple(e for e in self.enterprises if e.failed)

    @property
    def held(self) -> tuple[EnterprisePlan, ...]:
        """The enterprises whose changes wait for a change window."""
        return tuple(e for e in self.enterprises if e.heldBack and not e.failed)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for e in self.enterprises for p in e.problems)

    def to_json(self) -> str:
        """The saved plan's JSON: stable, versioned, the same bytes for the same plan."""
        from reconciler.plan import planfile  # it builds on this module

        return planfile.dumps(self)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the plan to `path`, for `apply PLAN` (or `Reconciler.apply`) later."""
        from reconciler.plan import planfile

        planfile.save(self, pathlib.Path(path))

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Plan:
        """A plan saved with `save` (or `reconciler plan -o`); ReconcilerError when the
        file cannot be read or is not a saved plan."""
        from reconciler.plan import planfile

        return planfile.load(pathlib.Path(path))
