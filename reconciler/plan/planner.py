"""plan: desired State + live facts -> Plan. Pure: no I/O, no clock, no httpx.

Per enterprise: its sections on each vendor, then one identity diff per kind of object
(users, groups, mappings: plan/diff.py) whose verdicts each kind turns into changes and
calls, then number moves (dependencies), conflicts and preconditions, Sync Unified App,
and the safety rails. A problem stops
only its own enterprise: it is carried on that enterprise's plan, its changes left out,
its changes kept for review but never applied, and every other enterprise
is planned as usual. So is an enterprise whose read failed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.plan import (
    diff,
    enterprises,
    groups,
    ignore,
    impact,
    mappings,
    numbers,
    planfile,
    releases,
    safety,
    users,
    windows,
)
from reconciler.plan.calls import Compiler
from reconciler.plan.diff import Diffed
from reconciler.plan.draft import Context, Draft
from reconciler.plan.model import EnterprisePlan, Plan, Summary, ref
from reconciler.wire.endpoints import Endpoint

# How each kind of object's verdicts become changes.
PLANNERS: dict[str, Callable[[Context, Diffed], None]] = {
    kinds.SMS_USER: users.plan,
    kinds.SMS_GROUP: groups.plan,
    kinds.MAPPING: mappings.plan,
}


@dataclasses.dataclass(frozen=True)
class Rules:
    """What a person lets a plan do beyond the manifests' own rules."""

    force: bool = False  # over policy.maxChangePercent (--force)
    ignore_windows: bool = False  # change windows do not hold (--ignore-windows)
    allow_release: bool = False  # numbers may be left with no holder (--allow-release)


@dataclasses.dataclass(frozen=True)
class Settings:
    """What a plan is made with besides the two States."""

    endpoints: Mapping[str, Endpoint]  # ConnecttoTeams' map, overrides applied (config)
    rules: Rules = Rules()
    manifest_digest: str = ""
    paths: tuple[str, ...] = ()
    now: float | None = None  # when it is made: change windows are looked at (not in drift)


def plan(desired: state.State, found: live.Live, settings: Settings) -> Plan:
    """The plan for every desired enterprise; problems are carried on each enterprise."""
    contexts = [
        _context(enterprise, found.enterprises.get(name), settings.endpoints, found.resellerId)
        for name, enterprise in sorted(desired.enterprises.items())
        if name not in found.failed
    ]
    for ctx in contexts:
        enterprises.plan_contextsms(ctx)
        enterprises.plan_connecttoteams(ctx)
        for kind in kinds.OBJECTS:
            wanted = getattr(ctx.desired, kind.field)
            have = getattr(ctx.live_state, kind.field)
            renames = ctx.desired.renames if kind.name == kinds.SMS_GROUP else None
            prune = ctx.desired.policy.prune
            for diffed in diff.diff(kind, wanted, have, prune=prune, renames=renames):
                PLANNERS[kind.name](ctx, diffed)
        numbers.plan(ctx)
    _cross_enterprise_mappings(contexts)
    plans = {
        name: EnterprisePlan(name=name, ids={}, problems=(p,)) for name, p in found.failed.items()
    }
    for ctx in contexts:
        enterprises.plan_sync(ctx)
        _order(ctx)
        safety.check(ctx, settings.rules.force)
        releases.check(ctx, settings.rules.allow_release)
        held = ""
        if settings.now is not None and not settings.rules.ignore_windows and ctx.drafts:
            held = windows.held(ctx.desired.policy.changeWindows, settings.now)
        plans[ctx.name] = _freeze(ctx).model_copy(update={"heldBack": held})
    return _assemble([plans[name] for name in sorted(plans)], settings)


def _assemble(enterprises: list[EnterprisePlan], settings: Settings) -> Plan:
    return Plan(
        enterprises=tuple(enterprises),
        summary=_summary(enterprises),
        manifestDigest=settings.manifest_digest,
        liveFingerprint=planfile.fingerprint(enterprises),
        paths=settings.paths,
        forced=settings.rules.force,
        ignoredWindows=settings.rules.ignore_windows,
        allowedRelease=settings.rules.allow_release,
    )


def needs_payment(plan: Plan, desired: state.State) -> dict[str, str]:
    """The contact emails to check, by enterprise: only where it can change the outcome,
    that is where the enterprise has changes to make (a warning, or a block under
    policy.requirePayment)."""
    wanted = {}
    for enterprise in plan.enterprises:
        section = desired.enterprises[enterprise.name].contextsms
        if enterprise.changes and enterprise.applies and section and section.email:
            wanted[enterprise.name] = section.email
    return wanted


def with_payments(
    plan: Plan,
    payments: Mapping[str, live.Payment | Problem],
    desired: state.State,
    settings: Settings,
) -> Plan:
    """The plan with what check-payment said: an unpaid contact is a warning, or under
    policy.requirePayment the enterprise's problem; a failed check is its problem too."""
    enterprises = []
    for enterprise in plan.enterprises:
        answer = payments.get(enterprise.name)
        if isinstance(answer, Problem):
            enterprise = enterprise.model_copy(update={"problems": (*enterprise.problems, answer)})
        elif answer is not None and not answer.paid:
            policy = desired.enterprises[enterprise.name].policy
            message, blocks = safety.unpaid(answer, policy)
            problem = Problem(kind="payment", enterprise=enterprise.name, message=message)
            update = (
                {"problems": (*enterprise.problems, problem)}
                if blocks
                else {"warnings": (*enterprise.warnings, message)}
            )
            enterprise = enterprise.model_copy(update=update)
        enterprises.append(enterprise)
    return _assemble(enterprises, settings)


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
    desired = ignore.owned(enterprise, found.state if found else None)
    return Context(desired=desired, live=found, compiler=compiler)


def _order(ctx: Context) -> None:
    """Make explicit what apply must respect besides number moves and sections: a group
    waits for the users it takes in (as members or owner) to be enabled, and for the
    pruning of users it lets go; Sync Unified App waits for every other change."""
    users = {d.key: d for d in ctx.drafts if d.kind == kinds.SMS_USER}
    for draft in ctx.drafts:
        if draft.kind == kinds.SMS_GROUP:
            before = set((draft.before or {}).get("members", []))
            after = set((draft.after or {}).get("members", []))
            owner = (draft.after or {}).get("owner")
            joining = {u for u in (after - before) | {owner} if u in users}
            leaving = {u for u in before - after if u in users and users[u].action == "delete"}
            joining = {u for u in joining if users[u].action != "delete"}
            draft.depends |= {ctx.change_id(kinds.SMS_USER, u) for u in joining | leaving}
        elif draft.kind == kinds.SYNC:
            draft.depends |= {
                ctx.change_id(d.kind, d.key) for d in ctx.drafts if d.kind != kinds.SYNC
            }


def _cross_enterprise_mappings(contexts: list[Context]) -> None:
    """A number mapped live in another enterprise in scope must be released there first."""
    owners: dict[str, Context] = {}
    for ctx in contexts:
        for phone in ctx.live_state.mappings:
            owners[phone] = ctx
    for ctx in contexts:
        for draft in ctx.drafts:
            if draft.kind != kinds.MAPPING or draft.action != "create":
                continue
            other = owners.get(draft.key)
            if other is None or other is ctx:
                continue
            deleting = [d for d in other.drafts if d.kind == kinds.MAPPING and d.key == draft.key]
            if deleting:
                draft.depends.add(other.change_id(kinds.MAPPING, draft.key))
            else:
                ctx.problem(
                    "conflict",
                    f"conflict: mapping {draft.key} is held by enterprise '{other.name}', which "
                    "does not manage it: remove it there or set policy.prune: true there",
                )


def _freeze(ctx: Context) -> EnterprisePlan:
    drafts = sorted(ctx.drafts, key=lambda d: (_phase(d), kinds.KINDS[d.kind].order, d.key))
    changes = tuple(d.freeze(ctx.name, ctx.change_id(d.kind, d.key)) for d in drafts)
    c2t = ctx.c2t
    csms = ctx.live.contextsms if ctx.live else None
    ids: dict[str, Any] = {}  # the platforms the manifest names: the id, or None (new)
    if ctx.desired.connecttoteams is not None:
        ids[kinds.CONNECTTOTEAMS] = c2t.enterpriseId if c2t else None
    if ctx.desired.contextsms is not None:
        ids[kinds.CONTEXTSMS] = csms.enterpriseId if csms else None
    updates, deletes, managed = safety.share(ctx)
    limit = ctx.desired.policy.maxChangePercent
    return EnterprisePlan(
        name=ctx.name,
        ids=ids,
        changes=changes,
        unmanaged=tuple(sorted(ctx.unmanaged, key=lambda u: (u.kind, u.key))),
        warnings=tuple(ctx.warnings),
        problems=tuple(ctx.problems),
        impact=impact.impact(changes, updates + deletes, managed, limit),
    )


def _phase(draft: Draft) -> int:
    return min((c.phase for c in draft.calls), default=0)


def _summary(plans: list[EnterprisePlan]) -> Summary:
    counts = {"create": 0, "update": 0, "delete": 0, "sync": 0}
    for enterprise in plans:
        for change in enterprise.changes if enterprise.applies else ():
            counts[change.action] += 1
    held = sum(1 for e in plans if e.heldBack and not e.failed)
    return Summary(**counts, failed=sum(1 for e in plans if e.failed), heldBack=held)
