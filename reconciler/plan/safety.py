"""Safety rails: the maxChangePercent threshold, and the requirePayment policy for the
enterprises whose contact ContextSMS says has not paid."""

from __future__ import annotations

from reconciler.model import kinds
from reconciler.model.kinds import Policy
from reconciler.model.live import Payment
from reconciler.plan.draft import Context

MIN_OBJECTS = 10


def check(ctx: Context, force: bool) -> None:
    _threshold(ctx, force)


def share(ctx: Context) -> tuple[int, int, int]:
    """Updates and deletes of managed objects, and how many managed objects there are."""
    live = ctx.live_state
    counted = [k for k in kinds.OBJECTS if k.managed]
    managed = sum(
        len(set(getattr(live, k.field)) & set(getattr(ctx.desired, k.field))) for k in counted
    )
    drafts = [d for d in ctx.drafts if kinds.KINDS[d.kind].managed]
    updates = sum(1 for d in drafts if d.action == "update")
    deletes = sum(1 for d in drafts if d.action == "delete")
    return updates, deletes, managed + deletes  # pruned objects were managed too


def _threshold(ctx: Context, force: bool) -> None:
    updates, deletes, managed = share(ctx)
    limit = ctx.desired.policy.maxChangePercent
    if force or managed < MIN_OBJECTS or (updates + deletes) * 100 <= limit * managed:
        return
    percent = (updates + deletes) * 100 / managed
    ctx.problem(
        "safety",
        f"{updates} updates and {deletes} deletes would change {updates + deletes} of {managed} "
        f"managed objects ({percent:.0f}%), over policy.maxChangePercent {limit}%: review the "
        "plan, then run again with --force",
    )


def unpaid(payment: Payment, policy: Policy) -> tuple[str, bool]:
    """What to say of an unpaid contact, and whether policy.requirePayment blocks on it."""
    status = payment.subscriptionStatus or "unknown"
    message = f"ContextSMS says {payment.email} has not paid (subscription: {status})"
    if policy.requirePayment:
        return f"{message}; policy.requirePayment blocks its changes", True
    return message, False
