"""SMS groups: the calls that create, update (numbers, owner, members, a rename) and
prune each one, from the identity diff; a rename that two live groups would take is a
conflict."""

from __future__ import annotations

from typing import Any

from reconciler.model import kinds
from reconciler.plan import phases
from reconciler.plan.diff import Diffed
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import Unmanaged, ref


def plan(ctx: Context, diffed: Diffed) -> None:
    name = diffed.key
    ids = ctx.c2t.groupIds if ctx.c2t else {}
    if diffed.verdict == "unmanaged":
        detail = ", ".join(diffed.have.numbers)
        ctx.unmanaged.append(Unmanaged(kind=kinds.SMS_GROUP, key=name, detail=detail))
    elif diffed.verdict == "conflict":
        _rename_conflict(ctx, name, diffed.claimed, ids)
    elif diffed.verdict == "create":
        _create(ctx, diffed.want, diffed.after)
    elif diffed.verdict == "delete":
        _prune(ctx, diffed.have, ids[name], diffed.before)
    else:
        group_id = ids[diffed.former or name]
        _update(ctx, diffed, group_id)


def _create(ctx: Context, want: kinds.SmsGroup, after: Any) -> None:
    compiler = ctx.compiler
    ref_name = f"{ctx.name}/group/{want.name}"
    group_id: Any = ref(ref_name)
    calls = [compiler.group(want, -1, produces=ref_name)]
    if want.numbers:
        calls.append(compiler.group_dids(want, group_id, ctx.did_ids(want.numbers), True))
    if want.members:
        calls.append(compiler.members(group_id, list(want.members), add=True))
    ctx.add(
        Draft(kinds.SMS_GROUP, want.name, "create", None, after, calls, acquires=set(want.numbers))
    )


def _prune(ctx: Context, have: kinds.SmsGroup, group_id: int, before: Any) -> None:
    compiler = ctx.compiler
    calls = []
    if have.numbers:
        calls.append(compiler.group_dids(have, group_id, ctx.did_ids(have.numbers), False))
    if have.members:
        calls.append(
            compiler.members(group_id, list(have.members), add=False, phase=phases.UNASSIGN)
        )
    calls.append(compiler.group(have, group_id, delete=True))
    reason = "prune: not in the manifest"
    ctx.add(
        Draft(
            kinds.SMS_GROUP,
            have.name,
            "delete",
            before,
            None,
            calls,
            reason,
            releases=set(have.numbers),
        )
    )


def _update(ctx: Context, diffed: Diffed, group_id: Any) -> None:
    """Bring live group `have` to `want`: numbers it loses are released first (under its
    old name, before any rename), then the rename or owner, numbers gained, members."""
    compiler = ctx.compiler
    want: kinds.SmsGroup = diffed.want
    have: kinds.SmsGroup = diffed.have
    old = diffed.former
    removed = set(have.numbers) - set(want.numbers)
    added = set(want.numbers) - set(have.numbers)
    joined = sorted(set(want.members) - set(have.members))
    left = sorted(set(have.members) - set(want.members))
    calls = []
    if removed:
        calls.append(compiler.group_dids(have, group_id, ctx.did_ids(removed), False))
    if old or want.owner != have.owner:
        calls.append(compiler.group(want, group_id, name_old=old or None))
    if added:
        calls.append(compiler.group_dids(want, group_id, ctx.did_ids(added), True))
    if joined:
        calls.append(compiler.members(group_id, joined, add=True))
    if left:
        calls.append(compiler.members(group_id, left, add=False))
    reason = f"renamed from {old}" if old else ""
    ctx.add(
        Draft(
            kinds.SMS_GROUP,
            want.name,
            "update",
            diffed.before,
            diffed.after,
            calls,
            reason,
            acquires=added,
            releases=removed,
        )
    )


def _rename_conflict(ctx: Context, name: str, live: tuple[str, ...], ids: dict[str, int]) -> None:
    named = " and ".join(f"'{n}' (groupId {ids[n]})" for n in live)
    ctx.problem(
        "conflict",
        f"SMS group '{name}' is renamed from {', '.join(repr(o) for o in live if o != name)},"
        f" but live has {len(live)} of these groups: {named}. Only one can become '{name}':"
        " delete or rename the other on ConnecttoTeams, or drop the name from renamedFrom",
        f"{kinds.SMS_GROUP} {name}",
    )
