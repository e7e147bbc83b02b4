"""Enterprise-level changes: the enterprise created on ContextSMS and ConnecttoTeams, its
services, and the Sync Unified App rule."""

from __future__ import annotations

from reconciler.model import kinds
from reconciler.plan import phases
from reconciler.plan.draft import Context, Draft


def plan_connecttoteams(ctx: Context) -> None:
    want = ctx.desired.connecttoteams
    if want is None:
        return
    have, section = ctx.c2t, ctx.live_state.connecttoteams
    after = kinds.connecttoteams_essence(want)
    if have is None or section is None:
        ref_name = f"{ctx.name}/connecttoteams.enterpriseId"
        call = ctx.compiler.new_enterprise(want, ref_name)
        ctx.add(Draft(kinds.CONNECTTOTEAMS, want.enterpriseName, "create", None, after, [call]))
    else:
        before = kinds.connecttoteams_essence(section)
        if before == after:
            return
        call = ctx.compiler.edit_enterprise(want.enterpriseName, after["services"], have.settings)
        ctx.add(Draft(kinds.CONNECTTOTEAMS, want.enterpriseName, "update", before, after, [call]))
    ctx.section_changes.add(ctx.change_id(kinds.CONNECTTOTEAMS, want.enterpriseName))


def plan_contextsms(ctx: Context) -> None:
    want = ctx.desired.contextsms
    if want is None:
        return
    have = ctx.live_state.contextsms
    if have is None:
        ref_name = f"{ctx.name}/contextsms.enterpriseId"
        call = ctx.compiler.new_csms_enterprise(want, ref_name)
        after = kinds.contextsms_essence(want)
        ctx.add(Draft(kinds.CONTEXTSMS, want.name, "create", None, after, [call]))
        ctx.section_changes.add(ctx.change_id(kinds.CONTEXTSMS, want.name))
        return
    twins = ctx.live.contextsms.emptyTwins if ctx.live and ctx.live.contextsms else ()
    if twins:
        ctx.warnings.append(
            f"ContextSMS also has {', '.join(twins)} named '{want.name}' under {want.cspId}, "
            f"empty: a twin made by a concurrent run (the twin rule keeps the lowest id, "
            f"{have.enterpriseId}); the run that made it deletes it, else delete it in the portal"
        )
    for field in ("contact", "number", "email"):
        wanted, actual = getattr(want, field), getattr(have, field)
        if wanted is not None and wanted != actual:
            ctx.warnings.append(
                f"ContextSMS {field} is {actual!r}, the manifest says {wanted!r}: ContextSMS has "
                "no API to change it; update it in the portal"
            )


def plan_sync(ctx: Context) -> None:
    if ctx.desired.connecttoteams is None:
        return
    synced = ctx.c2t.appSynced if ctx.c2t else None
    touched = any(c.operation in phases.NEEDS_SYNC for d in ctx.drafts for c in d.calls)
    if not touched and synced is not False:
        return
    reason = "numbers or members change" if touched else "live appSynced is false"
    ctx.add(
        Draft(
            kinds.SYNC,
            "Unified App",
            "sync",
            {"appSynced": synced},
            {"appSynced": True},
            [ctx.compiler.sync()],
            reason=reason,
        )
    )
