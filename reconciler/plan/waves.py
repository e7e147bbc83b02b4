"""Waves of a rollout: the enterprises a plan changes, split into ordered groups that are
applied one after another, each gated on the health of the last. Pure.

`count=N`: N waves of nearly equal size, by name. `label=KEY:v1,v2,...`: a wave per value
in that order; enterprises without the label, or with a value not listed, come last."""

from __future__ import annotations

import dataclasses

from reconciler.errors import UsageError
from reconciler.model import kinds, state
from reconciler.plan.model import Plan


@dataclasses.dataclass(frozen=True)
class Wave:
    number: int  # 1-based
    name: str  # "1-of-2", "ring=canary", "ring (unlisted)"
    enterprises: tuple[str, ...]


def parse(by: str) -> tuple[str, int | tuple[str, tuple[str, ...]]]:
    """`count=N` or `label=KEY:v1,v2`; a UsageError naming what is expected otherwise."""
    kind, _, value = by.partition("=")
    if kind == "count" and value.isdigit() and int(value) >= 1:
        return "count", int(value)
    key, _, listed = value.partition(":")
    values = tuple(v for v in listed.split(",") if v)
    if kind == "label" and key and values and len(set(values)) == len(values):
        return "label", (key, values)
    raise UsageError(
        f"{by!r}: expected count=N (N >= 1) or label=KEY:VALUE,VALUE,... (values in order)",
        "--waves",
    )


def split(plan: Plan, desired: state.State, by: str) -> list[Wave]:
    """The waves of the enterprises `plan` applies changes to, in order (none empty)."""
    kind, how = parse(by)
    names = sorted({c.enterprise for c in plan.changes})
    groups: list[tuple[str, list[str]]] = []
    if kind == "count":
        assert isinstance(how, int)
        count = min(how, len(names)) or 1
        size, extra = divmod(len(names), count)
        start = 0
        for i in range(count):
            end = start + size + (1 if i < extra else 0)
            groups.append((f"{i + 1}-of-{count}", names[start:end]))
            start = end
    else:
        assert isinstance(how, tuple)
        key, values = how
        labels = {n: desired.enterprises[n].labels.get(key) for n in names}
        groups = [(f"{key}={v}", [n for n in names if labels[n] == v]) for v in values]
        groups.append((f"{key} (unlisted)", [n for n in names if labels[n] not in values]))
    kept = [(name, members) for name, members in groups if members]
    return [Wave(i + 1, name, tuple(members)) for i, (name, members) in enumerate(kept)]


def subplan(plan: Plan, wave: Wave) -> Plan:
    """`plan` narrowed to the enterprises of `wave`."""
    chosen = tuple(e for e in plan.enterprises if e.name in wave.enterprises)
    return plan.model_copy(update={"enterprises": chosen})


def assigned(plan: Plan, applied: set[str]) -> dict[str, list[str]]:
    """The numbers the `applied` changes of `plan` gave to a user, a group or a Teams
    channel, by enterprise (what a health gate texts)."""
    found: dict[str, set[str]] = {}
    for change in plan.changes:
        if change.id not in applied or change.after is None:
            continue
        before = set((change.before or {}).get("numbers") or ())
        numbers = set(change.after.get("numbers") or ()) - before
        if change.kind == kinds.MAPPING and change.action in ("create", "update"):
            numbers.add(change.key)
        if numbers:
            found.setdefault(change.enterprise, set()).update(numbers)
    return {name: sorted(numbers) for name, numbers in sorted(found.items())}
