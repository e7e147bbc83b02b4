"""Saved plans (`plan -o plan.json`, `Plan.save`): the one module that writes and reads
them, and decides whether one may still be applied (Terraform's `plans/planfile`).

A saved plan is the plan as a stable, versioned JSON document (formatVersion 1, sorted
keys, no timestamps: the same plan gives the same bytes). It is bound to what it was
made from: the manifests' digest and a fingerprint of every live object it touches. A
fresh plan of the same manifests and enterprises must agree on both, else the saved one
is stale and is not applied; the error names each object that changed.

This is the one module of plan/ that touches the disk (`save`, `load`); the rest of it
is pure.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
from collections.abc import Iterable
from typing import Any

from reconciler.errors import ReconcilerError
from reconciler.plan.model import EnterprisePlan, Plan

FORMAT_VERSION = 1
MAX_BYTES = 256 * 1024 * 1024  # the largest enterprise's plan from scratch is ~10 MB


def document(plan: Plan) -> dict[str, Any]:
    """The plan as the JSON document holds it (its summary with the derived total)."""
    data = plan.model_dump(mode="json")
    data["summary"] = {**data["summary"], "total": plan.summary.total}
    return data


def dumps(plan: Plan) -> str:
    return json.dumps(document(plan), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def loads(text: str) -> Plan:
    """A saved plan from its JSON; ValueError when it is not one (`summary.total` is
    derived, so it is dropped before validation)."""
    data = json.loads(text)
    if not isinstance(data, dict) or data.get("formatVersion") != FORMAT_VERSION:
        raise ValueError(f"not a reconciler plan of formatVersion {FORMAT_VERSION}")
    if isinstance(data.get("summary"), dict):
        data["summary"].pop("total", None)
    return Plan.model_validate(data)


def save(plan: Plan, path: pathlib.Path) -> None:
    path.write_text(dumps(plan), encoding="utf-8")


def load(path: pathlib.Path) -> Plan:
    """The plan saved at `path`; a ReconcilerError naming the file when it cannot be read
    or is not a saved plan."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ValueError(f"{size:,} bytes, more than a plan can hold ({MAX_BYTES:,})")
        return loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ReconcilerError(f"{path}: cannot read the saved plan ({exc.strerror})") from None
    except (ValueError, RecursionError) as exc:
        reason = "nested too deep" if isinstance(exc, RecursionError) else str(exc)
        raise ReconcilerError(
            f"{path}: not a saved plan ({reason.splitlines()[0]}); make it again with "
            "`reconciler plan -o`"
        ) from None


def is_saved_plan(paths: Iterable[pathlib.Path]) -> pathlib.Path | None:
    """The saved plan's path when the only PATH given is a .json file, else None."""
    given = list(paths)
    return given[0] if len(given) == 1 and given[0].suffix == ".json" else None


def fingerprint(plans: Iterable[EnterprisePlan]) -> dict[str, str]:
    """A digest of the live object each change touches, by change id: what binds a saved
    plan to the live state it was made against."""
    return {
        change.id: _digest({"before": change.before, "action": change.action})
        for enterprise in plans
        if enterprise.applies
        for change in enterprise.changes
    }


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def check_fresh(saved: Plan, fresh: Plan) -> None:
    """Refuse `saved` when `fresh` (planned now from the same manifests and enterprises)
    says the manifests or the live objects it touches changed since it was made."""
    if saved.manifestDigest != fresh.manifestDigest:
        raise ReconcilerError(
            "the saved plan is stale: the manifests changed since it was made, so it is not "
            "applied; make a new plan and review it:\n"
            + "\n".join(f"  {line}" for line in manifest_differences(saved, fresh))
        )
    lines = live_differences(saved, fresh)
    if lines:
        raise ReconcilerError(
            "the saved plan is stale: the live platforms changed since it was made, so it is "
            "not applied; make a new plan and review it:\n"
            + "\n".join(f"  {line}" for line in lines)
        )


def live_differences(saved: Plan, fresh: Plan) -> list[str]:
    """What a fresh plan from the same manifests says differently, one line per object."""
    lines = []
    old, new = saved.liveFingerprint, fresh.liveFingerprint
    for change_id in sorted(set(old) | set(new)):
        if change_id not in new:
            lines.append(f"{change_id}: no longer needs a change (changed live since the plan)")
        elif change_id not in old:
            lines.append(f"{change_id}: now needs a change the saved plan does not have")
        elif old[change_id] != new[change_id]:
            lines.append(f"{change_id}: the live object changed since the plan")
    if not lines and saved.changes != fresh.changes:
        lines.append("the changes compile differently now (endpoints or ids changed)")
    return lines


def manifest_differences(saved: Plan, fresh: Plan) -> list[str]:
    """The objects whose planned change the edited manifests alter, one line each: what
    the saved plan would do and what a plan of the manifests now does."""
    old = {c.id: c for c in saved.changes}
    new = {c.id: c for c in fresh.changes}
    lines = []
    for change_id in sorted(set(old) | set(new)):
        before, now = old.get(change_id), new.get(change_id)
        if now is None:
            lines.append(f"{change_id}: in the saved plan, no longer planned from the manifests")
        elif before is None:
            lines.append(
                f"{change_id}: planned from the manifests now ({now.action}), not in the saved plan"
            )
        elif before.action != now.action:
            lines.append(f"{change_id}: {before.action} in the saved plan, {now.action} now")
        elif before.after != now.after:
            a, b = before.after or {}, now.after or {}
            fields = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
            changed = ", ".join(f"{k}: {a.get(k)!r} → {b.get(k)!r}" for k in fields)
            lines.append(f"{change_id}: the manifest changed it ({changed})")
    if not lines:
        lines.append(
            "no planned change differs: the edit is in comments, formatting or objects the "
            "plan does not change"
        )
    return lines
