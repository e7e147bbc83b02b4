"""SMS users and groups: the holders of numbers. Create, update (numbers, attributes,
owner, members), prune, and the unmanaged ones."""

from __future__ import annotations

from typing import Any

from reconciler.model import kinds
from reconciler.plan import phases
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import Unmanaged, ref

USER_ATTRIBUTES = ("email", "userTag", "userType", "useCallingPhoneNumber")


def dump_user(user: kinds.SmsUser) -> dict[str, Any]:
    return {
        "userId": user.userId,
        "numbers": list(user.numbers),
        "email": user.email or user.userId,
        "userTag": user.userTag,
        "userType": user.userType,
        "useCallingPhoneNumber": user.useCallingPhoneNumber,
    }


def dump_group(group: kinds.SmsGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "owner": group.owner,
        "numbers": list(group.numbers),
        "members": list(group.members),
    }


def plan_users(ctx: Context) -> None:
    have_all = ctx.live_state.users
    compiler = ctx.compiler
    for user_id, want in sorted(ctx.desired.users.items()):
        have = have_all.get(user_id)
        after = dump_user(want)
        if have is None:
            calls = [compiler.enable_user(want)]
            if want.numbers:
                calls.append(compiler.user_dids(user_id, ctx.did_ids(want.numbers), True))
            reason = (
                "disabled live: enable again"
                if ctx.c2t and user_id in ctx.c2t.disabledUsers
                else ""
            )
            ctx.drafts.append(
                Draft(
                    "smsUser",
                    user_id,
                    "create",
                    None,
                    after,
                    calls,
                    reason,
                    acquires=set(want.numbers),
                )
            )
            continue
        before = dump_user(have)
        if before == after:
            continue
        removed = set(have.numbers) - set(want.numbers)
        added = set(want.numbers) - set(have.numbers)
        calls = []
        if removed:
            calls.append(compiler.user_dids(user_id, ctx.did_ids(removed), False))
        if any(before[a] != after[a] for a in USER_ATTRIBUTES):
            calls.append(compiler.enable_user(want))
        if added:
            calls.append(compiler.user_dids(user_id, ctx.did_ids(added), True))
        ctx.drafts.append(
            Draft(
                "smsUser", user_id, "update", before, after, calls, acquires=added, releases=removed
            )
        )
    for user_id, have in sorted(have_all.items()):
        if user_id in ctx.desired.users:
            continue
        if not ctx.desired.policy.prune:
            detail = ", ".join(have.numbers)
            ctx.unmanaged.append(Unmanaged(kind="smsUser", key=user_id, detail=detail))
            continue
        calls = []
        if have.numbers:
            calls.append(compiler.user_dids(user_id, ctx.did_ids(have.numbers), False))
        calls.append(compiler.enable_user(have, enable=False))
        ctx.drafts.append(
            Draft(
                "smsUser",
                user_id,
                "delete",
                dump_user(have),
                None,
                calls,
                "prune: not in the manifest",
                releases=set(have.numbers),
            )
        )


def plan_groups(ctx: Context) -> None:
    have_all = ctx.live_state.groups
    ids = ctx.c2t.groupIds if ctx.c2t else {}
    compiler = ctx.compiler
    renamed: set[str] = set()  # live names that a desired group takes over
    for name, want in sorted(ctx.desired.groups.items()):
        have = have_all.get(name)
        former = [old for old in ctx.desired.renames.get(name, ()) if old in have_all]
        renamed.update(former)
        after = dump_group(want)
        if former and (have is not None or len(former) > 1):
            _rename_conflict(ctx, name, [name] * (have is not None) + former, ids)
            continue
        if have is None and former:
            _plan_group_update(ctx, want, have_all[former[0]], ids[former[0]], old=former[0])
            continue
        if have is None:
            ref_name = f"{ctx.name}/group/{name}"
            group_id: Any = ref(ref_name)
            calls = [compiler.group(want, -1, produces=ref_name)]
            if want.numbers:
                calls.append(compiler.group_dids(want, group_id, ctx.did_ids(want.numbers), True))
            if want.members:
                calls.append(compiler.members(group_id, list(want.members), add=True))
            ctx.drafts.append(
                Draft("smsGroup", name, "create", None, after, calls, acquires=set(want.numbers))
            )
            continue
        if dump_group(have) != after:
            _plan_group_update(ctx, want, have, ids[name])
    for name, have in sorted(have_all.items()):
        if name in ctx.desired.groups or name in renamed:
            continue
        if not ctx.desired.policy.prune:
            detail = ", ".join(have.numbers)
            ctx.unmanaged.append(Unmanaged(kind="smsGroup", key=name, detail=detail))
            continue
        group_id = ids[name]
        calls = []
        if have.numbers:
            calls.append(compiler.group_dids(have, group_id, ctx.did_ids(have.numbers), False))
        if have.members:
            calls.append(
                compiler.members(group_id, list(have.members), add=False, phase=phases.UNASSIGN)
            )
        calls.append(compiler.group(have, group_id, delete=True))
        ctx.drafts.append(
            Draft(
                "smsGroup",
                name,
                "delete",
                dump_group(have),
                None,
                calls,
                "prune: not in the manifest",
                releases=set(have.numbers),
            )
        )


def _plan_group_update(
    ctx: Context, want: kinds.SmsGroup, have: kinds.SmsGroup, group_id: Any, old: str = ""
) -> None:
    """Bring live group `have` to `want`: numbers it loses are released first (under its
    old name, before any rename), then the rename or owner, numbers gained, members."""
    compiler = ctx.compiler
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
    ctx.drafts.append(
        Draft(
            "smsGroup",
            want.name,
            "update",
            dump_group(have),
            dump_group(want),
            calls,
            f"renamed from {old}" if old else "",
            acquires=added,
            releases=removed,
        )
    )


def _rename_conflict(ctx: Context, name: str, live: list[str], ids: dict[str, int]) -> None:
    named = " and ".join(f"'{n}' (groupId {ids[n]})" for n in live)
    ctx.problem(
        "conflict",
        f"SMS group '{name}' is renamed from {', '.join(repr(o) for o in live if o != name)},"
        f" but live has {len(live)} of these groups: {named}. Only one can become '{name}':"
        " delete or rename the other on ConnecttoTeams, or drop the name from renamedFrom",
        f"smsGroup {name}",
    )
