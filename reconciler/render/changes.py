"""How one change of a plan reads, for every plan renderer (text for terminals and CI
logs, Markdown for pull requests): its glyph, headline, attributes under a create, one
line per changed field under an update; the enterprise's header; the summary line."""

from __future__ import annotations

from reconciler.config.loader import PROVIDERS
from reconciler.model import kinds
from reconciler.plan.model import Change, EnterprisePlan, Plan
from reconciler.render import values

GLYPHS = {"create": "+", "update": "~", "delete": "-", "sync": "↻"}
COLOURS = {"create": "32", "update": "33", "delete": "31", "sync": "36"}
FOLD_AFTER = 10  # items of a list shown before "(+N more)"


def summary_line(plan: Plan) -> str:
    s = plan.summary
    syncs = "1 sync" if s.sync == 1 else f"{s.sync} syncs"
    line = f"Plan: {s.create} to create, {s.update} to update, {s.delete} to delete, {syncs}"
    if s.failed:
        line += f"; {values.plural(s.failed, 'enterprise')} failed"
    if s.heldBack:
        line += f"; {values.plural(s.heldBack, 'enterprise')} held back by change windows"
    return line + "."


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def impact_line(enterprise: EnterprisePlan) -> str | None:
    """The enterprise's changes as an SMS admin says them, and the safety figure (None
    for a plan saved before plans said it)."""
    i = enterprise.impact
    if i is None:
        return None
    parts = []
    if i.newOn:
        parts.append("new on " + " and ".join(PROVIDERS[k] for k in i.newOn))
    said = [
        (i.usersGetSms, "user gets SMS", "users get SMS"),
        (
            i.usersGainNumbers,
            "user starts texting from new numbers",
            "users start texting from new numbers",
        ),
        (
            i.usersLoseNumbers,
            "user stops texting from a number",
            "users stop texting from some numbers",
        ),
        (i.usersLoseSms, "user loses SMS", "users lose SMS"),
        (i.groupsCreated, "new group", "new groups"),
    ]
    parts += [_count(n, one, many) for n, one, many in said if n]
    if i.groupsGainMembers:
        members = _count(i.membersAdded, "member", "members")
        parts.append(_count(i.groupsGainMembers, "group gains", "groups gain") + f" {members}")
    if i.groupsLoseMembers:
        members = _count(i.membersRemoved, "member", "members")
        parts.append(_count(i.groupsLoseMembers, "group loses", "groups lose") + f" {members}")
    said = [
        (i.groupsRenamed, "group renamed", "groups renamed"),
        (i.groupsGainNumbers, "group gets new numbers", "groups get new numbers"),
        (i.groupsLoseNumbers, "group loses a number", "groups lose numbers"),
        (i.groupsDeleted, "group deleted", "groups deleted"),
        (
            i.numbersMoveChannel,
            "number moves to another Teams channel",
            "numbers move to another Teams channel",
        ),
        (
            i.numbersMapped,
            "number starts reaching a Teams channel",
            "numbers start reaching Teams channels",
        ),
        (i.numbersUnmapped, "number stops reaching Teams", "numbers stop reaching Teams"),
        (
            i.numbersReleased,
            "number released (no holder after)",
            "numbers released (no holder after)",
        ),
    ]
    parts += [_count(n, one, many) for n, one, many in said if n]
    if i.otherUpdates:
        parts.append(_count(i.otherUpdates, "other update", "other updates"))
    syncs_only = all(c.kind == kinds.SYNC for c in enterprise.changes)
    quiet = "the Teams app is synced" if syncs_only else "no user, group or channel changes"
    line = "impact: " + (", ".join(parts) or quiet)
    if i.managed:
        percent = round(i.changedManaged * 100 / i.managed)
        line += (
            f"; {i.changedManaged} of {i.managed} managed objects updated or deleted "
            f"({percent}%, limit {i.maxChangePercent}%)"
        )
    return line


def held_note(enterprise: EnterprisePlan) -> str:
    """What a held-back enterprise's reader needs: why, and how to apply now."""
    count = values.plural(len(enterprise.changes), "change")
    return f"held back: {enterprise.heldBack}; its {count} wait (--ignore-windows applies now)"


def header(enterprise: EnterprisePlan) -> str:
    """The name and its id on each platform the manifest names; the name alone when it
    could not be read (its ids are unknown)."""
    ids = [
        f"{PROVIDERS[key]} {'(new)' if enterprise.ids[key] is None else enterprise.ids[key]}"
        for key in (kinds.CONNECTTOTEAMS, kinds.CONTEXTSMS)
        if key in enterprise.ids
    ]
    return f"{enterprise.name} ({', '.join(ids)})" if ids else enterprise.name


def attributes(change: Change) -> list[tuple[str, str]]:
    """(field, value) pairs a reviewer needs on a create: every attribute set. The kind's
    own attributes first, in its order, the rest by name; a field equal to the key,
    empty, or at its default (what it would be had the manifest not set it: an email
    defaults to the userId) says nothing the headline does not."""
    after = change.after or {}
    kind = kinds.KINDS[change.kind]
    first = kind.attributes
    names = [n for n in first if n in after] + sorted(n for n in after if n not in first)
    defaults = kind.defaults(after)
    shown = []
    for name in names:
        value = after[name]
        if value in (None, "", [], (), False) or str(value) == change.key:
            continue
        if name in defaults and defaults[name] == value:
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
    if change.releases:
        lines.append(f"{mark}   releases: {folded(list(change.releases))} (no holder after)")
    return lines
