"""A saved plan applies only if nothing it was made from has changed: the manifests
(digest) and every live object it touches (fingerprint). Pure comparison."""

from __future__ import annotations

from reconciler.plan.model import Plan


def differences(saved: Plan, fresh: Plan) -> list[str]:
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
