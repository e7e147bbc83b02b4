"""Desired and live enterprises built by hand for the planner's tests (no network)."""

from __future__ import annotations

from typing import Any

from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.plan import planner
from reconciler.plan.model import Plan
from reconciler.wire.connecttoteams import ENDPOINTS

CARRIER = "Carrier(Profile) - (Owner)"
N = [f"+1202555{i:04d}" for i in range(101, 140)]


def user(user_id: str, *numbers: str, **extra: Any) -> kinds.SmsUser:
    return state.normalize_user(kinds.SmsUser(userId=user_id, numbers=numbers, **extra))


def group(
    name: str, owner: str, numbers: tuple[str, ...] = (), members: tuple[str, ...] = ()
) -> kinds.SmsGroup:
    return state.normalize_group(
        kinds.SmsGroup(name=name, owner=owner, numbers=numbers, members=members)
    )


def mapping(phone: str, app: str, name: str) -> kinds.Mapping:
    return kinds.Mapping(phoneNumber=phone, messagingAppId=app, name=name)


def enterprise(
    name: str = "acme",
    *,
    users: list[kinds.SmsUser] = (),
    groups: list[kinds.SmsGroup] = (),  # type: ignore[assignment]
    mappings: list[kinds.Mapping] = (),
    prune: bool = False,
    csms: bool = True,  # type: ignore[assignment]
    **policy: Any,
) -> state.Enterprise:
    return state.Enterprise(
        name=name,
        connecttoteams=kinds.ConnecttoTeamsEnterprise(
            enterpriseName=name.title(), services=("PBX", "SMS")
        ),
        contextsms=kinds.ContextSmsEnterprise(
            cspId="CSP0000003",
            name=name.title(),
            contact="Ann",
            number="+12025550143",
            email="ann@x.com",
        )
        if csms
        else None,
        users={u.userId: u for u in users},
        groups={g.name: g for g in groups},
        mappings={m.phoneNumber: m for m in mappings},
        policy=kinds.Policy(prune=prune, **policy),
    )


def holder_of(
    desired: state.Enterprise, number: str, group_ids: dict[str, int]
) -> live.Holder | None:
    for u in desired.users.values():
        if number in u.numbers:
            return live.Holder(type="USER", id=u.userId, name=u.userId)
    for g in desired.groups.values():
        if number in g.numbers:
            return live.Holder(type="SMS_GROUP", id=str(group_ids[g.name]), name=g.name)
    return None


def found(
    actual: state.Enterprise,
    *,
    synced: bool = True,
    inventory: list[str] = N,
    extra: dict[str, live.InventoryNumber] | None = None,
    mapping_ids: dict[str, str] | None = None,
) -> live.LiveEnterprise:
    group_ids = {name: 200 + i for i, name in enumerate(sorted(actual.groups))}
    numbers = {
        n: live.InventoryNumber(
            number=n,
            didId=i + 1,
            sms=True,
            carrierProfile=CARRIER,
            holder=holder_of(actual, n, group_ids),
        )
        for i, n in enumerate(inventory)
    }
    numbers |= extra or {}
    c2t = live.ConnecttoTeamsLive(
        enterpriseId=78,
        enterpriseName=actual.name.title(),
        services=("PBX", "SMS"),
        appSynced=synced,
        inventory=numbers,
        groupIds=group_ids,
    )
    csms = live.ContextSmsLive(
        enterpriseId="E0000090",
        cspId="CSP0000003",
        mappingIds=mapping_ids
        or {p: f"NTMAP{i:07d}" for i, p in enumerate(sorted(actual.mappings))},
    )
    return live.LiveEnterprise(name=actual.name, state=actual, connecttoteams=c2t, contextsms=csms)


def plan(
    desired: list[state.Enterprise],
    actual: list[live.LiveEnterprise],
    failed: dict[str, Problem] | None = None,
    *,
    force: bool = False,
    ignore_windows: bool = False,
    allow_release: bool = False,
    **kwargs: Any,
) -> Plan:
    rules = planner.Rules(force, ignore_windows, allow_release)
    return planner.plan(
        state.State(enterprises={e.name: e for e in desired}),
        live.Live(enterprises={e.name: e for e in actual}, failed=failed or {}, resellerId=54),
        planner.Settings(ENDPOINTS, rules, **kwargs),
    )


def problem(kind: str, message: str) -> Problem:
    return Problem(kind=kind, enterprise="acme", message=message)  # type: ignore[arg-type]


def summary(result: Plan) -> list[str]:
    return [f"{c.action} {c.kind} {c.key}" for c in result.changes]
