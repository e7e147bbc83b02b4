"""Safety rails: the maxChangePercent threshold and the requirePayment policy."""

from __future__ import annotations

from reconciler.plan.draft import Context

MIN_OBJECTS = 10
MANAGED_KINDS = ("smsUser", "smsGroup", "mapping")


def check(ctx: Context, force: bool) -> None:
    _threshold(ctx, force)
    _payment(ctx)


def _threshold(ctx: Context, force: bool) -> None:
    live = ctx.live_state
    managed = (
        len(set(live.users) & set(ctx.desired.users))
        + len(set(live.groups) & set(ctx.desired.groups))
        + len(set(live.mappings) & set(ctx.desired.mappings))
    )
    drafts = [d for d in ctx.drafts if d.kind in MANAGED_KINDS]
    updates = sum(1 for d in drafts if d.action == "update")
    deletes = sum(1 for d in drafts if d.action == "delete")
    managed += deletes  # pruned objects were managed too
    limit = ctx.desired.policy.maxChangePercent
    if force or managed < MIN_OBJECTS or (updates + deletes) * 100 <= limit * managed:
        return
    share = (updates + deletes) * 100 / managed
    ctx.problem(
        "safety",
        f"{updates} updates and {deletes} deletes would change {updates + deletes} of {managed} "
        f"managed objects ({share:.0f}%), over policy.maxChangePercent {limit}%: review the "
        "plan, then run again with --force",
    )


def _payment(ctx: Context) -> None:
    payment = ctx.live.payment if ctx.live else None
    if payment is None or payment.paid:
        return
    status = payment.subscriptionStatus or "unknown"
    message = f"ContextSMS says {payment.email} has not paid (subscription: {status})"
    if ctx.desired.policy.requirePayment and ctx.drafts:
        ctx.problem("payment", f"{message}; policy.requirePayment blocks its changes")
    else:
        ctx.warnings.append(message)
