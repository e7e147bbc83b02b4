"""Releases are deliberate: a number that some user, group or mapping of an enterprise
holds live, and that none will hold once the plan is applied, stops sending and receiving
SMS. The changes that let it go are marked (`Change.releases`), and unless the person
allowed it (`--allow-release`, or `apply.allowRelease`) the enterprise is stopped with a
problem naming every such number. Pruning an unmanaged holder releases its numbers too:
`prune` deletes, `--allow-release` lets numbers go. Pure."""

from __future__ import annotations

from reconciler.model import kinds, state
from reconciler.plan.draft import Context, Draft


def held(enterprise: state.Enterprise) -> set[str]:
    """Every number a user, group or mapping of `enterprise` holds."""
    numbers = {n for u in enterprise.users.values() for n in u.numbers}
    numbers |= {n for g in enterprise.groups.values() for n in g.numbers}
    return numbers | set(enterprise.mappings)


def check(ctx: Context, allowed: bool) -> None:
    """Mark each draft with the numbers it leaves with no holder (`lets_go`); a problem
    unless `allowed`."""
    live, desired = ctx.live_state, ctx.desired
    kept = held(desired)
    if not desired.policy.prune:  # unmanaged objects stay, and keep their numbers
        for kind in kinds.OBJECTS:
            wanted = getattr(desired, kind.field)
            strays = {k: o for k, o in getattr(live, kind.field).items() if k not in wanted}
            kept |= held(state.Enterprise(name=ctx.name, **{kind.field: strays}))
    released = held(live) - kept
    if not released:
        return
    for draft in ctx.drafts:
        draft.lets_go = _freed(draft) & released
    if not allowed:
        listed = ", ".join(sorted(released))
        count = f"{len(released)} number" + ("s" if len(released) != 1 else "")
        ctx.problem(
            "safety",
            f"{count} would be left with no user, group or mapping "
            f"and stop sending and receiving SMS: {listed}; review the plan, then run again "
            "with --allow-release (or set apply.allowRelease: true) to let them go",
        )


def _freed(draft: Draft) -> set[str]:
    if draft.kind == kinds.MAPPING:
        return {draft.key} if draft.action == "delete" else set()
    return set(draft.releases)
