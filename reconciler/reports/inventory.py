"""Inventory rows with the portal's advanced-search filters, and the missing numbers."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from reconciler.model import live, state
from reconciler.model.problem import Problem

ROUTES = {
    "DIRECT_ROUTING": "Direct Routing",
    "EXTERNAL_TRUNK": "External Trunk",
    "OPERATOR_CONNECT": "Operator Connect",
}


@dataclasses.dataclass(frozen=True)
class Row:
    """One number of the live inventory: capabilities, route, carrier, holder and who in the
    manifests wants it."""

    enterprise: str
    number: str
    voice: bool
    sms: bool
    fax: bool
    route: str | None
    carrier: str | None
    assignee: str  # user id, group name, other holder, or "" when unassigned
    assignee_type: str  # USER, SMS_GROUP, OTHER, or ""
    services: tuple[str, ...]
    wanted_by: str  # "SMS user alice@...", "SMS group Front Desk", "mapping Front Desk", or ""


def _unassigned(n: live.InventoryNumber) -> bool:
    return n.holder is None


def _assigned_with(service: str) -> Callable[[live.InventoryNumber], bool]:
    return lambda n: n.holder is not None and service in n.services


def _route(route: str, *, assigned: bool) -> Callable[[live.InventoryNumber], bool]:
    return lambda n: n.voiceRouteType == route and (n.holder is not None) == assigned


FILTERS: dict[str, Callable[[live.InventoryNumber], bool]] = {
    "all-unassigned": _unassigned,
    "available-voice": lambda n: n.voice and n.holder is None,
    "available-et": _route("EXTERNAL_TRUNK", assigned=False),
    "available-oc": _route("OPERATOR_CONNECT", assigned=False),
    "available-sms": lambda n: n.sms and n.holder is None,
    "assigned-pbx": _assigned_with("PBX"),
    "assigned-callapp": _assigned_with("CALLAPP"),
    "assigned-et": _route("EXTERNAL_TRUNK", assigned=True),
    "assigned-oc": _route("OPERATOR_CONNECT", assigned=True),
    "assigned-sms": lambda n: (
        n.holder is not None and n.holder.type in ("USER", "SMS_GROUP") and "SMS" in n.services
    ),
}


def wanted(desired: state.Enterprise) -> dict[str, str]:
    """Number -> who in the manifest holds it."""
    out = {m.phoneNumber: f"mapping {m.name}" for m in desired.mappings.values()}
    out |= {n: f"SMS user {u.userId}" for u in desired.users.values() for n in u.numbers}
    out |= {n: f"SMS group {g.name}" for g in desired.groups.values() for n in g.numbers}
    return out


def rows(found: live.Live, desired: state.State, filter_name: str | None = None) -> list[Row]:
    keep = FILTERS[filter_name] if filter_name else (lambda n: True)
    out = []
    for name, enterprise in sorted(desired.enterprises.items()):
        facts = found.enterprises.get(name)
        c2t = facts.connecttoteams if facts else None
        if c2t is None:
            continue
        wants = wanted(enterprise)
        for number, item in sorted(c2t.inventory.items()):
            if not keep(item):
                continue
            holder = item.holder
            out.append(
                Row(
                    enterprise=name,
                    number=number,
                    voice=item.voice,
                    sms=item.sms,
                    fax=item.fax,
                    route=item.voiceRouteType,
                    carrier=item.carrierProfile,
                    assignee=holder.name if holder else "",
                    assignee_type=holder.type if holder else "",
                    services=item.services,
                    wanted_by=wants.get(number, ""),
                )
            )
    return out


@dataclasses.dataclass(frozen=True)
class Missing:
    """A number a manifest wants that the inventory cannot serve yet, and why."""

    enterprise: str
    number: str
    wanted_by: str
    reason: str  # "not in the inventory", "no SMS capability", "no SMS carrier profile"
    current: live.InventoryNumber | None


def missing(found: live.Live, desired: state.State) -> list[Missing]:
    out = []
    for name, enterprise in sorted(desired.enterprises.items()):
        if name in found.failed:  # not read: nothing is known of its inventory
            continue
        facts = found.enterprises.get(name)
        inventory = facts.connecttoteams.inventory if facts and facts.connecttoteams else {}
        for number, holder in sorted(wanted(enterprise).items()):
            item = inventory.get(number)
            reason = live.sms_unusable(item)
            if reason is not None:
                out.append(Missing(name, number, holder, reason, item))
    return out


@dataclasses.dataclass(frozen=True)
class Numbers:
    """The live number inventory of the enterprises in scope (`rows`, filtered when
    asked), the numbers the manifests want that it cannot serve (`missing`), and the
    enterprises that could not be read (`failed`)."""

    rows: tuple[Row, ...]
    missing: tuple[Missing, ...]
    failed: tuple[Problem, ...] = ()


def numbers(found: live.Live, desired: state.State, filter_name: str | None = None) -> Numbers:
    return Numbers(
        tuple(rows(found, desired, filter_name)),
        tuple(missing(found, desired)),
        tuple(found.failed.values()),
    )
