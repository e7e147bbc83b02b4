"""Turn live enterprises into manifest documents (plain data in the design's key order). Pure.

A ContextSMS enterprise belongs with the ConnecttoTeams enterprise whose inventory holds
its mapped numbers (else one with the same name); one left over is exported alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from reconciler.model import kinds, live


class Pair:
    def __init__(
        self,
        c2t: tuple[
            kinds.ConnecttoTeamsEnterprise,
            live.ConnecttoTeamsLive,
            dict[str, kinds.SmsUser],
            dict[str, kinds.SmsGroup],
        ]
        | None,
        csms: tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]] | None,
    ) -> None:
        self.c2t, self.csms = c2t, csms

    @property
    def title(self) -> str:
        if self.c2t:
            return self.c2t[0].enterpriseName
        assert self.csms is not None
        return self.csms[0].name


def keeper(names: set[str], ids: set[int]) -> Callable[[dict[str, Any]], bool]:
    """Which rows of the reseller's listing to export: those named (by name or slug) or
    pinned by id; every one when none is named."""

    def keep(row: dict[str, Any]) -> bool:
        if not ids and not names:
            return True
        name = str(row.get("enterpriseName", ""))
        return row.get("enterpriseId") in ids or name in names or slug(name) in names

    return keep


def documents(pairs: list[Pair]) -> list[tuple[str, dict[str, Any]]]:
    """One (file name, manifest document) per pair; names are unique slugs."""
    used: set[str] = set()
    out = []
    for item in pairs:
        name = slug(item.title)
        while name in used:
            name = f"{name}-2"
        used.add(name)
        out.append((name, document(item, name)))
    return out


def slug(name: str) -> str:
    text = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return text[:63] or "enterprise"


def pair(
    c2t: list[
        tuple[
            kinds.ConnecttoTeamsEnterprise,
            live.ConnecttoTeamsLive,
            dict[str, kinds.SmsUser],
            dict[str, kinds.SmsGroup],
        ]
    ],
    csms: list[tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]]],
) -> list[Pair]:
    pairs = [Pair(item, None) for item in c2t]
    for section, mappings in csms:
        numbers = set(mappings)
        match = next(
            (p for p in pairs if p.csms is None and p.c2t and numbers & set(p.c2t[1].inventory)),
            None,
        ) or next(
            (
                p
                for p in pairs
                if p.csms is None and p.c2t and p.c2t[0].enterpriseName == section.name
            ),
            None,
        )
        if match is not None:
            match.csms = (section, mappings)
        else:
            pairs.append(Pair(None, (section, mappings)))
    return pairs


def document(pair: Pair, name: str) -> dict[str, Any]:
    spec: dict[str, Any] = {}
    if pair.c2t:
        section, facts, users, groups = pair.c2t
        spec["connecttoteams"] = {
            "enterpriseName": section.enterpriseName,
            "enterpriseId": facts.enterpriseId,
            "services": list(section.services),
        }
    if pair.csms:
        c = pair.csms[0]
        spec["contextsms"] = {
            "cspId": c.cspId,
            "name": c.name,
            "enterpriseId": c.enterpriseId,
            "contact": c.contact,
            "number": c.number,
            "email": c.email,
        }
    if pair.c2t:
        if users:
            spec["smsUsers"] = [_user(u) for _, u in sorted(users.items())]
        if groups:
            spec["smsGroups"] = [
                {
                    "name": g.name,
                    "owner": g.owner,
                    "numbers": list(g.numbers),
                    "members": list(g.members),
                }
                for _, g in sorted(groups.items())
            ]
    if pair.csms and pair.csms[1]:
        spec["mappings"] = [
            {
                "phoneNumber": m.phoneNumber,
                "messagingAppType": m.messagingAppType,
                "messagingAppId": m.messagingAppId,
                "name": m.name,
            }
            for _, m in sorted(pair.csms[1].items())
        ]
    spec["policy"] = {"prune": False, "maxChangePercent": 30, "requirePayment": False}
    return {
        "apiVersion": "reconciler/v1",
        "kind": "Enterprise",
        "metadata": {"name": name},
        "spec": spec,
    }


def _user(user: kinds.SmsUser) -> dict[str, Any]:
    out: dict[str, Any] = {"userId": user.userId, "numbers": list(user.numbers)}
    if user.address != user.userId:
        out["email"] = user.address
    if user.userTag:
        out["userTag"] = user.userTag
    if user.userType != "BU":
        out["userType"] = user.userType
    if user.useCallingPhoneNumber:
        out["useCallingPhoneNumber"] = True
    return out
