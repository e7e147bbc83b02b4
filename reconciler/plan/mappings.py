"""ContextSMS number -> Teams app mappings: create, retarget in place (PUT), re-create
when the name or type changes (ContextSMS cannot change those in place), prune; from the
identity diff."""

from __future__ import annotations

from reconciler.model import kinds
from reconciler.plan.diff import Diffed
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import Unmanaged


def plan(ctx: Context, diffed: Diffed) -> None:
    phone = diffed.key
    ids = ctx.live.contextsms.mappingIds if ctx.live and ctx.live.contextsms else {}
    compiler = ctx.compiler
    have: kinds.Mapping | None = diffed.have
    if diffed.verdict == "unmanaged":
        assert have is not None
        detail = f"{have.name} -> {have.messagingAppId}"
        ctx.unmanaged.append(Unmanaged(kind=kinds.MAPPING, key=phone, detail=detail))
    elif diffed.verdict == "create":
        calls = [compiler.add_mapping(diffed.want)]
        ctx.add(Draft(kinds.MAPPING, phone, "create", None, diffed.after, calls))
    elif diffed.verdict == "delete":
        calls = [compiler.delete_mapping(ids[phone])]
        reason = "prune: not in the manifest"
        ctx.add(Draft(kinds.MAPPING, phone, "delete", diffed.before, None, calls, reason))
    else:
        assert have is not None
        want: kinds.Mapping = diffed.want
        if (have.name, have.messagingAppType) == (want.name, want.messagingAppType):
            calls = [compiler.edit_mapping(ids[phone], want.messagingAppId)]
            reason = ""
        else:
            calls = [compiler.delete_mapping(ids[phone]), compiler.add_mapping(want)]
            reason = "name or type cannot change in place: delete and re-create"
        ctx.add(Draft(kinds.MAPPING, phone, "update", diffed.before, diffed.after, calls, reason))
