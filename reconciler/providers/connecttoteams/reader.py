"""Read ConnecttoTeams into live facts and essence: one enterprise list per reseller, then
per enterprise one inventory, one SMS config, one users and one groups call, concurrently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from reconciler.model import kinds, live, state
from reconciler.providers import matching, numbers
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient

SETTINGS = ("allowExternalNumbers", "restrictAdminAccess", "userLimit")


class Found:
    """What ConnecttoTeams holds for one manifest enterprise."""

    def __init__(
        self,
        facts: live.ConnecttoTeamsLive,
        section: kinds.ConnecttoTeamsEnterprise,
        users: dict[str, kinds.SmsUser],
        groups: dict[str, kinds.SmsGroup],
    ) -> None:
        self.facts, self.section, self.users, self.groups = facts, section, users, groups


async def read(
    client: ConnecttoTeamsClient, wanted: Iterable[state.Enterprise]
) -> dict[str, Found | None]:
    """Live ConnecttoTeams state for each enterprise with a connecttoteams section."""
    wanted = [e for e in wanted if e.connecttoteams is not None]
    if not wanted:
        return {}
    reseller = await client.reseller_id()
    listing = await client.op("listEnterprises", resellerId=reseller)
    rows = list(listing.get("data", []))
    matches = {e.name: _match(e, rows) for e in wanted}
    found = await asyncio.gather(
        *(enterprise(client, row) if row else _none() for row in matches.values())
    )
    return dict(zip(matches, found, strict=True))


async def _none() -> None:
    return None


def _match(enterprise: state.Enterprise, rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    section = enterprise.connecttoteams
    assert section is not None
    return matching.match(
        rows,
        enterprise=enterprise.name,
        pin=section.enterpriseId,
        name=section.enterpriseName,
        id_field="enterpriseId",
        name_field="enterpriseName",
        platform="ConnecttoTeams",
        section="connecttoteams",
        scope="for this reseller",
    )


async def enterprise(client: ConnecttoTeamsClient, row: dict[str, Any]) -> Found:
    """Everything about one enterprise of the reseller's listing (four calls at once)."""
    enterprise_id = int(row["enterpriseId"])
    inventory_rows, config, user_rows, group_rows = await asyncio.gather(
        client.op("phoneNumbers", enterpriseId=enterprise_id),
        client.op("smsConfig", enterpriseId=enterprise_id),
        client.op("listUsers", enterpriseId=enterprise_id),
        client.op("listGroups", enterpriseId=enterprise_id),
    )
    groups_by_id = {str(g["groupId"]): g for g in group_rows or []}
    inventory = _inventory(inventory_rows or [], groups_by_id)
    by_id = {n.didId: n.number for n in inventory.values()}
    users, disabled = _users(user_rows or [], by_id)
    groups = _groups(group_rows or [], by_id)
    services = tuple(sorted(set(row.get("services") or [])))
    facts = live.ConnecttoTeamsLive(
        enterpriseId=enterprise_id,
        enterpriseName=str(row.get("enterpriseName", "")),
        services=services,
        appSynced=bool((config or {}).get("appSynced", True)),
        settings={k: row[k] for k in SETTINGS if k in row},
        inventory=inventory,
        groupIds={str(g["groupName"]): int(g["groupId"]) for g in group_rows or []},
        disabledUsers=frozenset(disabled),
    )
    section = kinds.ConnecttoTeamsEnterprise.model_construct(
        enterpriseName=facts.enterpriseName, enterpriseId=enterprise_id, services=services
    )
    return Found(facts, section, users, groups)


def _inventory(
    rows: list[dict[str, Any]], groups: dict[str, dict[str, Any]]
) -> dict[str, live.InventoryNumber]:
    out = {}
    for row in rows:
        number = numbers.from_parts(str(row["countryCode"]), str(row["phoneNumber"]))
        out[number] = live.InventoryNumber.model_construct(
            number=number,
            didId=int(row["id"]),
            sms=bool(row.get("sms")),
            voice=bool(row.get("voice")),
            fax=bool(row.get("fax")),
            voiceRouteType=row.get("voiceRouteType"),
            carrierProfile=row.get("smsCarrierProfile"),
            holder=_holder(row.get("assignedTo"), row.get("services") or [], groups),
            services=tuple(row.get("services") or ()),
        )
    return out


def _holder(
    assigned: dict[str, Any] | None, services: list[str], groups: dict[str, dict[str, Any]]
) -> live.Holder | None:
    """Who holds the number; a user holding it for PBX or CallApp is not an SMS holder."""
    if not assigned:
        return None
    kind, holder_id = str(assigned.get("type")), str(assigned.get("id"))
    if kind == "USER" and services and "SMS" not in services:
        name = f"user {holder_id} ({', '.join(services)})"
        return live.Holder.model_construct(type="OTHER", id=holder_id, name=name)
    if kind == "USER":
        return live.Holder.model_construct(type="USER", id=holder_id, name=holder_id)
    if kind == "SMS_GROUP":
        name = str(groups.get(holder_id, {}).get("groupName", holder_id))
        return live.Holder.model_construct(type="SMS_GROUP", id=holder_id, name=name)
    return live.Holder.model_construct(type="OTHER", id=holder_id, name=f"{kind} {holder_id}")


def _e164(did: dict[str, Any], by_id: dict[int, str]) -> str:
    return by_id.get(int(did["id"])) or numbers.from_did(str(did["did"]))


def _users(
    rows: list[dict[str, Any]], by_id: dict[int, str]
) -> tuple[dict[str, kinds.SmsUser], list[str]]:
    users, disabled = {}, []
    for row in rows:
        user_id = str(row["userId"])
        if not row.get("enable", True):
            disabled.append(user_id)
            continue
        users[user_id] = kinds.SmsUser.model_construct(
            userId=user_id,
            numbers=tuple(sorted({_e164(d, by_id) for d in row.get("dids") or []})),
            email=row.get("email") or user_id,
            userTag=row.get("userTag"),
            userType=row.get("userType") or "BU",
            useCallingPhoneNumber=bool(row.get("useCallingPhoneNumber", False)),
        )
    return users, disabled


def _groups(rows: list[dict[str, Any]], by_id: dict[int, str]) -> dict[str, kinds.SmsGroup]:
    return {
        str(row["groupName"]): kinds.SmsGroup.model_construct(
            name=str(row["groupName"]),
            owner=str(row.get("groupOwner") or ""),
            numbers=tuple(sorted({_e164(d, by_id) for d in row.get("dids") or []})),
            members=tuple(sorted(set(row.get("members") or []))),
        )
        for row in rows
    }
