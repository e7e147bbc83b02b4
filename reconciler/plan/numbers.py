"""Numbers between holders: a number a change takes waits for the change that releases
it (a move is an unassign, then an assign); one held live by an object no manifest
manages is a conflict; and every number taken must pass the inventory's precondition
(`live.sms_unusable`)."""

from __future__ import annotations

from reconciler.model import kinds, live
from reconciler.plan.draft import Context, Draft

MISSING_HINT = "run `reconciler numbers missing` to write the portal's bulk-upload CSV"
WHAT_TO_DO = {
    "no SMS capability": "ask the service provider to enable SMS on it",
    "no SMS carrier profile": "the reseller must assign one on the Phone Numbers page",
}


def plan(ctx: Context) -> None:
    """Moves become dependencies; unreleased holders are conflicts; the inventory is
    checked. Then every change of an object waits for the change of its vendor's
    section (the enterprise created first)."""
    releasers = {n: ctx.change_id(d.kind, d.key) for d in ctx.drafts for n in d.releases}
    for draft in ctx.drafts:
        holder = f"{kinds.KINDS[draft.kind].label} '{draft.key}'"
        for number in sorted(draft.acquires):
            item = ctx.inventory.get(number)
            unusable = live.sms_unusable(item)
            if unusable is not None:
                ctx.problem("precondition", _precondition(ctx, number, holder, unusable))
            if item is None:
                continue
            if number in releasers:
                draft.depends.add(releasers[number])
            elif item.holder is not None and not _held_by_itself(item.holder, draft):
                renamed = _renamed(ctx, item.holder, draft)
                ctx.problem(
                    "conflict",
                    f"conflict: {number} is wanted by {holder} but held by "
                    f"{item.holder.describe()}, which no manifest manages: "
                    + (
                        f"it has the same numbers and members; if it was renamed, add "
                        f"`renamedFrom: {renamed}` to SMS group '{draft.key}' (else add it "
                        "to the manifest, release the number, or set policy.prune: true)"
                        if renamed
                        else "add it to the manifest, release the number, or set policy.prune: true"
                    ),
                )
    for draft in ctx.drafts:
        kind = kinds.KINDS[draft.kind]
        if kind.field:  # an object: its vendor's section first
            draft.depends |= {c for c in ctx.section_changes if f"/{kind.api}/" in c}


def _precondition(ctx: Context, number: str, holder: str, unusable: str) -> str:
    if unusable == live.NOT_IN_INVENTORY:
        where = (
            f"ConnecttoTeams enterprise {ctx.c2t.enterpriseId}"
            if ctx.c2t
            else "the ConnecttoTeams enterprise (it does not exist yet: its inventory is empty)"
        )
        return (
            f"{number} ({holder}) is not in the inventory of {where}: the reseller must add "
            f"it; {MISSING_HINT}"
        )
    return f"{number} ({holder}) has {unusable}: {WHAT_TO_DO[unusable]}"


def _renamed(ctx: Context, holder: live.Holder, draft: Draft) -> str | None:
    """The live group's name when `draft` creates a group whose numbers and members are
    that group's: most likely a rename without `renamedFrom`."""
    if draft.kind != kinds.SMS_GROUP or draft.action != "create" or holder.type != "SMS_GROUP":
        return None
    wanted = ctx.desired.groups.get(draft.key)
    there = ctx.live_state.groups.get(holder.name)
    if wanted is None or there is None:
        return None
    same = set(wanted.numbers) == set(there.numbers) and set(wanted.members) == set(there.members)
    return holder.name if same else None


def _held_by_itself(holder: live.Holder, draft: Draft) -> bool:
    """The number's holder is the very user or group that wants it (the listing of users
    or groups, read a moment apart from the inventory, did not show it yet): assigning it
    again is harmless, never a conflict."""
    kind = kinds.HOLDERS.get(holder.type)
    return kind is not None and kind.name == draft.kind and holder.name == draft.key
