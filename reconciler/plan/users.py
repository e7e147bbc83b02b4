"""SMS users: the calls that create, update and prune each one, from the identity diff."""

from __future__ import annotations

from reconciler.model import kinds
from reconciler.plan.diff import Diffed
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import Unmanaged

ATTRIBUTES = ("email", "userTag", "userType", "useCallingPhoneNumber")  # enableUser sets


def plan(ctx: Context, diffed: Diffed) -> None:
    compiler = ctx.compiler
    user_id = diffed.key
    if diffed.verdict == "unmanaged":
        ctx.unmanaged.append(
            Unmanaged(kind=kinds.SMS_USER, key=user_id, detail=", ".join(diffed.have.numbers))
        )
        return
    if diffed.verdict == "create":
        want: kinds.SmsUser = diffed.want
        calls = [compiler.enable_user(want)]
        if want.numbers:
            calls.append(compiler.user_dids(user_id, ctx.did_ids(want.numbers), True))
        disabled = ctx.c2t is not None and user_id in ctx.c2t.disabledUsers
        reason = "disabled live: enable again" if disabled else ""
        ctx.add(
            Draft(
                kinds.SMS_USER,
                user_id,
                "create",
                None,
                diffed.after,
                calls,
                reason,
                acquires=set(want.numbers),
            )
        )
        return
    have: kinds.SmsUser = diffed.have
    if diffed.verdict == "delete":
        calls = []
        if have.numbers:
            calls.append(compiler.user_dids(user_id, ctx.did_ids(have.numbers), False))
        calls.append(compiler.enable_user(have, enable=False))
        ctx.add(
            Draft(
                kinds.SMS_USER,
                user_id,
                "delete",
                diffed.before,
                None,
                calls,
                "prune: not in the manifest",
                releases=set(have.numbers),
            )
        )
        return
    want = diffed.want
    before, after = diffed.before or {}, diffed.after or {}
    removed = set(have.numbers) - set(want.numbers)
    added = set(want.numbers) - set(have.numbers)
    calls = []
    if removed:
        calls.append(compiler.user_dids(user_id, ctx.did_ids(removed), False))
    if any(before[a] != after[a] for a in ATTRIBUTES):
        calls.append(compiler.enable_user(want))
    if added:
        calls.append(compiler.user_dids(user_id, ctx.did_ids(added), True))
    ctx.add(
        Draft(
            kinds.SMS_USER,
            user_id,
            "update",
            before,
            after,
            calls,
            acquires=added,
            releases=removed,
        )
    )
