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
    syncs = "1 sync" if s.sync == 1 else f"{s.sync} syncs"
    line = f"Plan: {s.create} to create, {s.update} to update, {s.delete} to delete, {syncs}"
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
            lines.append(f"  ({values.plural(count, 'change')} held back until it is fixed)")
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


# What a create shows under its headline, in this order (the rest after, by name); a
# field equal to the key, empty, or at its default (email = userId, userType BU, flags
# off) says nothing the headline does not.
ATTRIBUTES = {
    "smsUser": ("numbers", "userTag", "email", "userType", "useCallingPhoneNumber"),
    "smsGroup": ("owner", "numbers", "members"),
    "mapping": ("messagingAppType", "messagingAppId", "name"),
    "contextsms": ("cspId", "contact", "number", "email"),
    "connecttoteams": ("services",),
}
DEFAULTS = {"userType": "BU"}
FOLD_AFTER = 10  # items of a list shown before "(+N more)"


def attributes(change: Change) -> list[tuple[str, str]]:
    """(field, value) pairs a reviewer needs on a create: every attribute set."""
    after = change.after or {}
    first = ATTRIBUTES.get(change.kind, ())
    names = [n for n in first if n in after] + sorted(n for n in after if n not in first)
    shown = []
    for name in names:
        value = after[name]
        if value in (None, "", [], (), False) or str(value) == change.key:
            continue
        if DEFAULTS.get(name) == value or (name == "email" and value == after.get("userId")):
            continue
        shown.append((name, folded(value)))
    return shown


def folded(value: object) -> str:
    """A value for one line; a long list shows its first items and how many more."""
    if isinstance(value, list | tuple) and len(value) > FOLD_AFTER:
        head = ", ".join(str(v) for v in value[: FOLD_AFTER - 2])
        return f"{head}, … (+{len(value) - (FOLD_AFTER - 2)} more)"
    return values.show(value)


def change_lines(change: Change, color: bool = False, mark: str = " ") -> list[str]:
    """The change's headline; under a create, its attributes (each line starting with
    `mark`: "+" in a diff block); under an update, one line per changed field."""
    glyph = GLYPHS[change.action]
    if color:
        glyph = f"\x1b[{COLOURS[change.action]}m{glyph}\x1b[0m"
    head = f"{glyph} {change.kind} {change.key}"
    if change.reason:
        head += f"  ({change.reason})"
    lines = [head]
    if change.action == "create":
        lines += [f"{mark}   {name}: {value}" for name, value in attributes(change)]
    for field in change.fields:
        lines.append(f"    {field.field}: {folded(field.before)} → {folded(field.after)}")
    return lines
