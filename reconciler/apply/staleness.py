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
