"""make_plan: desired State + live facts -> Plan. Pure: no I/O, no clock, no httpx.

Per enterprise: sections, users, groups, mappings, then number moves (dependencies),
conflicts and preconditions, Sync Unified App, and the safety rails. Every problem of
every enterprise is collected and raised at once as a PlanError.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from reconciler.errors import PlanError
from reconciler.model import live, state
from reconciler.model.endpoints import Endpoint
from reconciler.plan import holders, mappings, safety, sections
from reconciler.plan.calls import Compiler
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import EnterprisePlan, Plan, Summary, ref

MISSING_HINT = "run `reconciler numbers missing` to write the portal's bulk-upload CSV"


def make_plan(
    desired: state.State,
    found: live.Live,
    endpoints: Mapping[str, Endpoint],
    *,
    reseller_id: int | None = None,
    force: bool = False,
    manifest_digest: str = "",
    paths: tuple[str, ...] = (),
) -> Plan:
    """The plan; any conflict, failed precondition or safety rail raises PlanError."""
    plan, problems = plan_with_problems(
        desired,
        found,
        endpoints,
        reseller_id=reseller_id,
        force=force,
        manifest_digest=manifest_digest,
        paths=paths,
    )
    if problems:
        raise PlanError(problem_report(problems))
    return plan


def plan_with_problems(
    desired: state.State,
    found: live.Live,
    endpoints: Mapping[str, Endpoint],
    *,
    reseller_id: int | None = None,
    force: bool = False,
    manifest_digest: str = "",
    paths: tuple[str, ...] = (),
) -> tuple[Plan, list[str]]:
    """The plan and the problems that would stop it (drift reports them instead)."""
    contexts = [
        _context(enterprise, found.enterprises.get(name), endpoints, reseller_id)
        for name, enterprise in sorted(desired.enterprises.items())
    ]
    for ctx in contexts:
        sections.plan_contextsms(ctx)
        sections.plan_connecttoteams(ctx)
        holders.plan_users(ctx)
        holders.plan_groups(ctx)
        mappings.plan_mappings(ctx)
        _numbers(ctx)
    _cross_enterprise_mappings(contexts)
    problems: list[str] = []
    plans = []
    for ctx in contexts:
        sections.plan_sync(ctx)
        safety.check(ctx, force)
        problems += ctx.problems
        plans.append(_freeze(ctx))
    plan = Plan(
        enterprises=tuple(plans),
        summary=_summary(plans),
        manifestDigest=manifest_digest,
        liveFingerprint=fingerprint(plans),
        paths=tuple(paths),
        forced=force,
    )
    return plan, problems


def _context(
    enterprise: state.Enterprise,
    found: live.LiveEnterprise | None,
    endpoints: Mapping[str, Endpoint],
    reseller_id: int | None,
) -> Context:
    c2t = found.connecttoteams if found else None
    csms = found.contextsms if found else None
    compiler = Compiler(
        endpoints,
        c2t.enterpriseId if c2t else ref(f"{enterprise.name}/connecttoteams.enterpriseId"),
        csms.enterpriseId if csms else ref(f"{enterprise.name}/contextsms.enterpriseId"),
        reseller_id,
    )
    return Context(desired=enterprise, live=found, compiler=compiler)


def _numbers(ctx: Context) -> None:
    """Moves become dependencies; unreleased holders are conflicts; the inventory is checked."""
    releasers = {n: ctx.change_id(d.kind, d.key) for d in ctx.drafts for n in d.releases}
    for draft in ctx.drafts:
        holder_name = f"SMS {'user' if draft.kind == 'smsUser' else 'group'} '{draft.key}'"
        for number in sorted(draft.acquires):
            item = ctx.inventory.get(number)
            if item is None:
                where = (
                    f"ConnecttoTeams enterprise {ctx.c2t.enterpriseId}"
                    if ctx.c2t
                    else "the ConnecttoTeams enterprise (it does not exist yet: its inventory "
                    "is empty)"
                )
                ctx.problem(
                    f"{number} ({holder_name}) is not in the inventory of {where}: the reseller "
                    f"must add it; {MISSING_HINT}"
                )
                continue
            if not item.sms:
                ctx.problem(
                    f"{number} ({holder_name}) has no SMS capability: ask the service provider "
                    "to enable SMS on it"
                )
            elif not item.carrierProfile:
                ctx.problem(
                    f"{number} ({holder_name}) has no SMS carrier profile: the reseller must "
                    "assign one on the Phone Numbers page"
                )
            if number in releasers:
                draft.depends.add(releasers[number])
            elif item.holder is not None:
                ctx.problem(
                    f"conflict: {number} is wanted by {holder_name} but held by "
                    f"{item.holder.describe()}, which no manifest manages: add it to the "
                    "manifest, release the number, or set policy.prune: true"
                )
    for draft in ctx.drafts:
        if draft.kind not in ("connecttoteams", "contextsms", "sync"):
            section = "contextsms" if draft.kind == "mapping" else "connecttoteams"
            draft.depends |= {c for c in ctx.section_changes if f"/{section}/" in c}


def _cross_enterprise_mappings(contexts: list[Context]) -> None:
    """A number mapped live in another enterprise in scope must be released there first."""
    owners: dict[str, Context] = {}
    for ctx in contexts:
        for phone in ctx.live_state.mappings:
            owners[phone] = ctx
    for ctx in contexts:
        for draft in ctx.drafts:
            if draft.kind != "mapping" or draft.action != "create":
                continue
            other = owners.get(draft.key)
            if other is None or other is ctx:
                continue
            deleting = [d for d in other.drafts if d.kind == "mapping" and d.key == draft.key]
            if deleting:
                draft.depends.add(other.change_id("mapping", draft.key))
            else:
                ctx.problem(
                    f"conflict: mapping {draft.key} is held by enterprise '{other.name}', which "
                    "does not manage it: remove it there or set policy.prune: true there"
                )


def _freeze(ctx: Context) -> EnterprisePlan:
    order = {
        "contextsms": 0,
        "connecttoteams": 1,
        "smsUser": 2,
        "smsGroup": 3,
        "mapping": 4,
        "sync": 5,
    }
    drafts = sorted(ctx.drafts, key=lambda d: (_phase(d), order[d.kind], d.key))
    changes = tuple(d.freeze(ctx.name, ctx.change_id(d.kind, d.key)) for d in drafts)
    c2t = ctx.c2t
    csms = ctx.live.contextsms if ctx.live else None
    return EnterprisePlan(
        name=ctx.name,
        ids={
            "connecttoteams": c2t.enterpriseId if c2t else None,
            "contextsms": csms.enterpriseId if csms else None,
        },
        changes=changes,
        unmanaged=tuple(sorted(ctx.unmanaged, key=lambda u: (u.kind, u.key))),
        warnings=tuple(ctx.warnings),
    )


def _phase(draft: Draft) -> int:
    return min((c.phase for c in draft.calls), default=0)


def _summary(plans: list[EnterprisePlan]) -> Summary:
    counts = {"create": 0, "update": 0, "delete": 0, "sync": 0}
    for plan in plans:
        for change in plan.changes:
            counts[change.action] += 1
    return Summary(**counts)


def fingerprint(plans: list[EnterprisePlan] | tuple[EnterprisePlan, ...]) -> dict[str, str]:
    """A digest of the live object each change touches, by change id."""
    return {
        change.id: _digest({"before": change.before, "action": change.action})
        for plan in plans
        for change in plan.changes
    }


def _digest(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def problem_report(problems: list[str]) -> str:
    """All the problems that stop a plan, one per line, for a PlanError."""
    lines = [
        f"the plan cannot be made ({len(problems)} problem{'s' if len(problems) != 1 else ''}):"
    ]
    lines += [f"  - {p}" for p in problems]
    lines.append("nothing was changed")
    return "\n".join(lines)
