"""The plan as text for a terminal or a CI log: one header per enterprise, one line per
change, only changed fields for updates, unmanaged objects and warnings apart; an
enterprise that failed shows its problems instead of its changes."""

from __future__ import annotations

from reconciler.plan.model import EnterprisePlan, Plan
from reconciler.render import values
from reconciler.render.changes import (
    change_lines,
    header,
    held_note,
    impact_line,
    summary_line,
)


def render(plan: Plan, *, color: bool = False, show_calls: bool = False) -> str:
    lines: list[str] = []
    for enterprise in plan.enterprises:
        lines += _enterprise(enterprise, color, show_calls)
        lines.append("")
    if not plan.changes and not plan.failed and not plan.held:
        lines.append("No changes: the live platforms match the manifests.")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def failures(plan: Plan) -> str:
    """For stderr: which enterprises failed and why, one problem per line."""
    failed = plan.failed
    head = (
        f"{len(failed)} of {values.plural(len(plan.enterprises), 'enterprise')} "
        f"cannot be planned; nothing is applied to {'it' if len(failed) == 1 else 'them'}:"
    )
    return "\n".join([head, *(f"  - {p.describe()}" for p in plan.problems)])


def _enterprise(enterprise: EnterprisePlan, color: bool, show_calls: bool) -> list[str]:
    lines = [header(enterprise)]
    impact = impact_line(enterprise) if enterprise.changes else None
    if impact is not None:
        lines.append(f"  {impact}")
    if enterprise.failed:
        lines += [f"  error: {p.message}" for p in enterprise.problems]
        if enterprise.changes:  # shown, so that what the refusal asks to review is there
            count = len(enterprise.changes)
            lines.append(f"  held back until it is fixed ({values.plural(count, 'change')}):")
            lines += _changes(enterprise, color, show_calls)
        return lines
    if enterprise.heldBack:
        lines.append(f"  {held_note(enterprise)}")
    if not enterprise.changes:
        lines.append("  no changes")
    lines += _changes(enterprise, color, show_calls)
    if enterprise.unmanaged:
        lines.append("  unmanaged (in no manifest; left alone without policy.prune):")
        for item in enterprise.unmanaged:
            detail = f"  {item.detail}" if item.detail else ""
            lines.append(f"    {item.kind} {item.key}{detail}")
    lines += [f"  warning: {w}" for w in enterprise.warnings]
    return lines


def _changes(enterprise: EnterprisePlan, color: bool, show_calls: bool) -> list[str]:
    lines: list[str] = []
    for change in enterprise.changes:
        lines += ["  " + line for line in change_lines(change, color)]
        if show_calls:
            for call in change.calls:
                body = "" if call.body is None else " " + values.body(call.body)
                lines.append(f"        {call.method} {call.rendered_path()}{body}")
    return lines
