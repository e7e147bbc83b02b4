"""ContextSMS number -> Teams app mappings: create, retarget in place (PUT), re-create
when the name or type changes (ContextSMS cannot change those in place), prune."""

from __future__ import annotations

from typing import Any

from reconciler.model import kinds
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import Unmanaged


def dump_mapping(mapping: kinds.Mapping) -> dict[str, Any]:
    return {
        "phoneNumber": mapping.phoneNumber,
        "messagingAppType": mapping.messagingAppType,
        "messagingAppId": mapping.messagingAppId,
        "name": mapping.name,
    }


def plan_mappings(ctx: Context) -> None:
    have_all = ctx.live_state.mappings
    ids = ctx.live.contextsms.mappingIds if ctx.live and ctx.live.contextsms else {}
    compiler = ctx.compiler
    for phone, want in sorted(ctx.desired.mappings.items()):
        have = have_all.get(phone)
        after = dump_mapping(want)
        if have is None:
            ctx.drafts.append(
                Draft("mapping", phone, "create", None, after, [compiler.add_mapping(want)])
            )
            continue
        before = dump_mapping(have)
        if before == after:
            continue
        if (have.name, have.messagingAppType) == (want.name, want.messagingAppType):
            calls = [compiler.edit_mapping(ids[phone], want.messagingAppId)]
            reason = ""
        else:
            calls = [compiler.delete_mapping(ids[phone]), compiler.add_mapping(want)]
            reason = "name or type cannot change in place: delete and re-create"
        ctx.drafts.append(Draft("mapping", phone, "update", before, after, calls, reason))
    for phone, have in sorted(have_all.items()):
        if phone in ctx.desired.mappings:
            continue
        if not ctx.desired.policy.prune:
            ctx.unmanaged.append(
                Unmanaged(kind="mapping", key=phone, detail=f"{have.name} -> {have.messagingAppId}")
            )
            continue
        ctx.drafts.append(
            Draft(
                "mapping",
                phone,
                "delete",
                dump_mapping(have),
                None,
                [compiler.delete_mapping(ids[phone])],
                "prune: not in the manifest",
            )
        )
