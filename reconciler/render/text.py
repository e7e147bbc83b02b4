"""The plan as text for a terminal or a CI log: one header per enterprise, one line per
change, only changed fields for updates, unmanaged objects and warnings apart; an
enterprise that failed shows its problems instead of its changes."""

from __future__ import annotations

from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.render import values

GLYPHS = {"create": "+", "update": "~", "delete": "-", "sync": "↻"}
COLOURS = {"create": "32", "update": "33", "delete": "31", "sync": "36"}


def render(plan: Plan, *, color: bool = False, show_calls: bool = False) -> str:
    lines: list[str] = []
    for enterprise in plan.enterprises:
        lines += _enterprise(enterprise, color, show_calls)
        lines.append("")
    if not plan.changes and not plan.failed:
        lines.append("No changes: the live platforms match the manifests.")
    lines.append(summary_line(plan))
    return "\n".join(lines) + "\n"


def summary_line(plan: Plan) -> str:
    s = plan.summary
    line = f"Plan: {s.create} to create, {s.update} to update, {s.delete} to delete, {s.sync} syncs"
    if s.failed:
        line += f"; {s.failed} {_enterprises(s.failed)} failed"
    return line + "."


def _enterprises(count: int) -> str:
    return "enterprise" if count == 1 else "enterprises"


def failures(plan: Plan) -> str:
    """For stderr: which enterprises failed and why, one problem per line."""
    failed = plan.failed
    head = (
        f"{len(failed)} of {len(plan.enterprises)} {_enterprises(len(plan.enterprises))} "
        f"cannot be planned; nothing is applied to {'it' if len(failed) == 1 else 'them'}:"
    )
    return "\n".join([head, *(f"  - {p.describe()}" for p in plan.problems)])


PLATFORMS = {"connecttoteams": "ConnecttoTeams", "contextsms": "ContextSMS"}


def header(enterprise: EnterprisePlan) -> str:
    """The name and its id on each platform the manifest names; the name alone when it
    could not be read (its ids are unknown)."""
    ids = [
        f"{title} {'(new)' if enterprise.ids[key] is None else enterprise.ids[key]}"
        for key, title in PLATFORMS.items()
        if key in enterprise.ids
    ]
    return f"{enterprise.name} ({', '.join(ids)})" if ids else enterprise.name


def _enterprise(enterprise: EnterprisePlan, color: bool, show_calls: bool) -> list[str]:
    lines = [header(enterprise)]
    if enterprise.failed:
        lines += [f"  error: {p.message}" for p in enterprise.problems]
        if enterprise.changes:
            count = len(enterprise.changes)
            lines.append(
                f"  ({count} change{'s' if count != 1 else ''} held back until it is fixed)"
            )
        return lines
    if not enterprise.changes:
        lines.append("  no changes")
    for change in enterprise.changes:
        lines += ["  " + line for line in change_lines(change, color)]
        if show_calls:
            for call in change.calls:
                body = "" if call.body is None else " " + values.body(call.body)
                lines.append(f"        {call.method} {call.rendered_path()}{body}")
    if enterprise.unmanaged:
        lines.append("  unmanaged (in no manifest; left alone without policy.prune):")
        for item in enterprise.unmanaged:
            detail = f"  {item.detail}" if item.detail else ""
            lines.append(f"    {item.kind} {item.key}{detail}")
    lines += [f"  warning: {w}" for w in enterprise.warnings]
    return lines


def change_lines(change: Change, color: bool = False) -> list[str]:
    """The change's headline and, for updates, one line per changed field."""
    glyph = GLYPHS[change.action]
    if color:
        glyph = f"\x1b[{COLOURS[change.action]}m{glyph}\x1b[0m"
    head = f"{glyph} {change.kind} {change.key}"
    numbers = (change.after or {}).get("numbers") if change.action == "create" else None
    if numbers:
        head += f" [{values.show(numbers)}]"
    if change.reason:
        head += f"  ({change.reason})"
    lines = [head]
    for field in change.fields:
        lines.append(f"    {field.field}: {values.show(field.before)} → {values.show(field.after)}")
    return lines
