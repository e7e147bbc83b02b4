"""ConnecttoTeams on the wire: the endpoint map, request bodies, answer parsers and the
lookups by name that recover a lost create. Pure: no I/O.

Bodies follow shared/api/connecttoteams.md; the read endpoints are assumed there, so
their paths can be overridden from reconciler.yaml (`providers.connecttoteams.endpoints`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from reconciler.model import kinds, live
from reconciler.wire import matching, numbers
from reconciler.wire.endpoints import Answer, Endpoint, Lookup, Shape, Twins, resolve

API = "connecttoteams"
UPDATED_BY = -1  # the documented samples send a user id or -1; we act as the API client
SETTINGS = ("allowExternalNumbers", "restrictAdminAccess", "userLimit")

ENDPOINTS: dict[str, Endpoint] = {
    "token": Endpoint("POST", "/oauth/token", True),
    "authenticatedUser": Endpoint("PUT", "/reseller/getAuthenticatedUser", True),
    "newEnterprise": Endpoint("POST", "/reseller/newEnterprise", True),
    "listEnterprises": Endpoint("GET", "/reseller/v3/getEnterprisesForReseller", False),
    "editEnterprise": Endpoint("POST", "/reseller/editEnterprise", False),
    "smsConfig": Endpoint("POST", "/sms/getEnterpriseSMSConfig/{enterpriseId}", True),
    "enableUser": Endpoint("POST", "/sms/enableSMSServiceForUser", True),
    "userDids": Endpoint("POST", "/sms/addSMSDidsForUser", True),
    "group": Endpoint("POST", "/sms/createSMSGroup", True),
    "groupDids": Endpoint("POST", "/sms/assignSMSDidsForGroup", True),
    "addMembers": Endpoint("POST", "/sms/addSMSMembersForGroup", True),
    "removeMembers": Endpoint("POST", "/sms/removeSMSMembersForGroup", False),
    "listUsers": Endpoint("POST", "/sms/getSMSUsers/{enterpriseId}", False),
    "listGroups": Endpoint("POST", "/sms/getSMSGroups/{enterpriseId}", False),
    "sync": Endpoint("POST", "/enterprise/syncUnifiedApp/{enterpriseId}", False),
    "phoneNumbers": Endpoint("POST", "/enterprise/getPhoneNumbers/{enterpriseId}", False),
}

# What each operation's answer must be (those not named may answer anything, or nothing).
ANSWERS: dict[str, Answer] = {
    "token": Answer("object", ("access_token",)),
    "authenticatedUser": Answer("object", ("resellerId",)),
    "newEnterprise": Answer("object", ("enterpriseId",)),
    "listEnterprises": Answer("object"),
    "smsConfig": Answer("object"),
    "listUsers": Answer("list"),
    "listGroups": Answer("list"),
    "phoneNumbers": Answer("list"),
}

# What `doctor` checks of each read: the fields the readers below take.
SHAPES: dict[str, Shape] = {
    "authenticatedUser": Shape("object", ("resellerId",)),
    "listEnterprises": Shape("object", rows="data", row_needs=("enterpriseId", "enterpriseName")),
    "phoneNumbers": Shape("list", row_needs=("id", "countryCode", "phoneNumber")),
    "smsConfig": Shape("object", ("appSynced",)),
    "listUsers": Shape("list", row_needs=("userId",)),
    "listGroups": Shape("list", row_needs=("groupId", "groupName")),
}

# The four reads that make up one enterprise, in the order `enterprise()` takes them.
ENTERPRISE_READS = ("phoneNumbers", "smsConfig", "listUsers", "listGroups")


def endpoints(overrides: Mapping[str, str], where: str = "reconciler.yaml") -> dict[str, Endpoint]:
    """The endpoint map with reconciler.yaml's overrides applied."""
    return resolve(ENDPOINTS, overrides, "providers.connecttoteams.endpoints", where)


# --- request bodies ----------------------------------------------------------------------


def token_form(username: str, password: str, refresh_token: str | None) -> dict[str, str]:
    if refresh_token:
        return {"grant_type": "refresh_token", "refresh_token": refresh_token}
    return {"grant_type": "password", "username": username, "password": password}


def new_enterprise(
    section: kinds.ConnecttoTeamsEnterprise, reseller_id: int | None
) -> dict[str, Any]:
    return {
        "enterpriseName": section.enterpriseName,
        "resellerId": reseller_id,
        "services": list(section.services),
        "allowExternalNumbers": False,
        "restrictAdminAccess": False,
    }


def edit_enterprise(
    enterprise_id: Any,
    name: str,
    services: Iterable[str],
    settings: Mapping[str, Any],
    reseller_id: int | None,
) -> dict[str, Any]:
    return {
        **settings,
        "enterpriseId": enterprise_id,
        "enterpriseName": name,
        "resellerId": reseller_id,
        "services": list(services),
    }


def enable_user(enterprise_id: Any, user: kinds.SmsUser, enable: bool) -> dict[str, Any]:
    body: dict[str, Any] = {
        "updatedBy": UPDATED_BY,
        "userId": user.userId,
        "email": user.address,
        "enterpriseId": enterprise_id,
        "enable": enable,
    }
    if enable:
        body |= {
            "useCallingPhoneNumber": user.useCallingPhoneNumber,
            "callingPhoneNumber": 0,
            "userType": user.userType,
            "userTag": user.userTag,
        }
    return body


def user_dids(
    enterprise_id: Any, user_id: str, did_ids: list[int], assigned: bool
) -> dict[str, Any]:
    return {
        "updatedBy": UPDATED_BY,
        "enterpriseId": enterprise_id,
        "userId": user_id,
        "assigned": assigned,
        "smsDID": [str(i) for i in sorted(did_ids)],
    }


def group(
    enterprise_id: Any,
    group: kinds.SmsGroup,
    group_id: Any,
    delete: bool,
    name_old: str | None = None,
) -> dict[str, Any]:
    """createSMSGroup's body: a create (groupId -1), an update of an existing groupId, a
    rename (the existing groupId with groupNameOld = its current name) or a delete."""
    return {
        "groupId": group_id,
        "groupRef": None,
        "groupName": group.name,
        "groupOwner": group.owner,
        "enterpriseId": enterprise_id,
        "enable": True,
        "deleteGroup": delete,
        "groupNameOld": name_old,
    }


def group_dids(
    enterprise_id: Any, group: kinds.SmsGroup, group_id: Any, did_ids: list[int], assigned: bool
) -> dict[str, Any]:
    return {
        "assigned": assigned,
        "updatedBy": UPDATED_BY,
        "enterpriseId": enterprise_id,
        "groupId": group_id,
        "groupRef": None,
        "groupName": group.name,
        "groupOwner": group.owner,
        "enterpriseRef": None,
        "smsDID": [str(i) for i in sorted(did_ids)],
    }


def members(enterprise_id: Any, group_id: Any, user_ids: list[str]) -> dict[str, Any]:
    return {"groupId": group_id, "enterpriseId": enterprise_id, "smsMembers": sorted(user_ids)}


# --- answers -----------------------------------------------------------------------------


def token(answer: Any) -> tuple[str, str | None, float]:
    """An /oauth/token answer: the access token, the refresh token, seconds to expiry."""
    return (
        str(answer["access_token"]),
        answer.get("refresh_token"),
        float(answer.get("expires_in", 3600)),
    )


def reseller_of(answer: Any) -> int:
    """getAuthenticatedUser's answer: the reseller the API user belongs to."""
    return int(answer["resellerId"])


def enterprise_rows(listing: Any) -> list[dict[str, Any]]:
    """getEnterprisesForReseller's answer: `{"data": [...]}`."""
    return list((listing or {}).get("data", []))


# How an enterprise row is identified and named, for listing and match.
_ID, _NAME = "enterpriseId", "enterpriseName"


def listing(rows: list[dict[str, Any]]) -> matching.Rows:
    """The reseller's enterprise rows indexed for `match` (once for all enterprises)."""
    return matching.Rows(rows, _ID, _NAME)


def match(
    rows: list[dict[str, Any]] | matching.Rows, section: kinds.ConnecttoTeamsEnterprise
) -> dict[str, Any] | None:
    """The manifest's enterprise in the reseller's listing: by pin, else by unique name."""
    return matching.match(
        rows,
        pin=section.enterpriseId,
        name=section.enterpriseName,
        id_field=_ID,
        name_field=_NAME,
        platform="ConnecttoTeams",
        section="connecttoteams",
        scope="for this reseller",
    )


@dataclasses.dataclass(frozen=True)
class Found:
    """What ConnecttoTeams holds for one enterprise."""

    facts: live.ConnecttoTeamsLive
    section: kinds.ConnecttoTeamsEnterprise
    users: dict[str, kinds.SmsUser]
    groups: dict[str, kinds.SmsGroup]
    # Group ids the inventory names as a number's holder that the group listing lacks.
    # The four reads are sent at once, not read at one moment: a group made (or deleted)
    # by another run or an admin between them leaves its numbers held by a group the
    # listing never showed, which the plan would take for a conflict.
    unknown_groups: frozenset[str] = frozenset()

    def part(self) -> live.Part:
        essence = {API: self.section, "users": self.users, "groups": self.groups}
        return live.Part(essence, {API: self.facts})


def enterprise(row: Mapping[str, Any], answers: Mapping[str, Any]) -> Found:
    """One enterprise of the reseller's listing from the answers of ENTERPRISE_READS."""
    enterprise_id = int(row["enterpriseId"])
    config = answers["smsConfig"] or {}
    group_rows = answers["listGroups"] or []
    groups_by_id = {str(g["groupId"]): g for g in group_rows}
    inventory = _inventory(answers["phoneNumbers"] or [], groups_by_id)
    by_id = {n.didId: n.number for n in inventory.values()}
    users, disabled = _users(answers["listUsers"] or [], by_id)
    services = tuple(sorted(set(row.get("services") or [])))
    facts = live.ConnecttoTeamsLive(
        enterpriseId=enterprise_id,
        enterpriseName=str(row.get("enterpriseName", "")),
        services=services,
        appSynced=bool(config.get("appSynced", True)),
        settings={k: row[k] for k in SETTINGS if k in row},
        inventory=inventory,
        groupIds={str(g["groupName"]): int(g["groupId"]) for g in group_rows},
        disabledUsers=frozenset(disabled),
    )
    section = kinds.ConnecttoTeamsEnterprise.model_construct(
        enterpriseName=facts.enterpriseName, enterpriseId=enterprise_id, services=services
    )
    unknown = {
        n.holder.id
        for n in inventory.values()
        if n.holder and n.holder.type == "SMS_GROUP" and n.holder.id not in groups_by_id
    }
    return Found(facts, section, users, _groups(group_rows, by_id), frozenset(unknown))


def _inventory(
    rows: list[dict[str, Any]], groups: dict[str, dict[str, Any]]
) -> dict[str, live.InventoryNumber]:
    out = {}
    for row in rows:
        number = numbers.from_parts(str(row["countryCode"]), str(row["phoneNumber"]))
        out[number] = live.InventoryNumber.built(
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
        return live.Holder.built(type="OTHER", id=holder_id, name=name)
    if kind == "USER":
        return live.Holder.built(type="USER", id=holder_id, name=holder_id)
    if kind == "SMS_GROUP":
        name = str(groups.get(holder_id, {}).get("groupName", holder_id))
        return live.Holder.built(type="SMS_GROUP", id=holder_id, name=name)
    return live.Holder.built(type="OTHER", id=holder_id, name=f"{kind} {holder_id}")


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
        users[user_id] = kinds.SmsUser.built(
            userId=user_id,
            numbers=tuple(sorted({_e164(d, by_id) for d in row.get("dids") or []})),
            email=row.get("email") or None,  # by default the userId: SmsUser.address
            userTag=row.get("userTag"),
            userType=row.get("userType") or "BU",
            useCallingPhoneNumber=bool(row.get("useCallingPhoneNumber", False)),
        )
    return users, disabled


def _groups(rows: list[dict[str, Any]], by_id: dict[int, str]) -> dict[str, kinds.SmsGroup]:
    return {
        str(row["groupName"]): kinds.SmsGroup.built(
            name=str(row["groupName"]),
            owner=str(row.get("groupOwner") or ""),
            numbers=tuple(sorted({_e164(d, by_id) for d in row.get("dids") or []})),
            members=tuple(sorted(set(row.get("members") or []))),
        )
        for row in rows
    }


# --- recovery ----------------------------------------------------------------------------


def lookup(operation: str, path_params: dict[str, Any], body: Any) -> Lookup | None:
    """For a create with a server-assigned id: how to find what it made, by name."""
    if operation == "newEnterprise":
        name = body["enterpriseName"]
        return Lookup(
            "listEnterprises",
            {"resellerId": body["resellerId"]},
            lambda answer: next(
                (r for r in enterprise_rows(answer) if r.get("enterpriseName") == name), None
            ),
        )
    if operation == "group" and body.get("groupId") == -1:
        name = body["groupName"]
        return Lookup(
            "listGroups",
            {"enterpriseId": body["enterpriseId"]},
            lambda answer: next((g for g in answer or [] if g.get("groupName") == name), None),
        )
    return None


def twins(operation: str, path_params: dict[str, Any], body: Any) -> Twins | None:
    """Enterprise names are not unique on ConnecttoTeams (group names answer 409): after
    creating one, look for a twin under the reseller. The API cannot delete an enterprise,
    so a losing twin is left empty for an admin to delete (the re-read names it)."""
    if operation != "newEnterprise":
        return None
    return Twins(
        "listEnterprises",
        {"resellerId": body["resellerId"]},
        enterprise_rows,
        body["enterpriseName"],
        "enterpriseName",
        "enterpriseId",
    )
