"""The ConnecttoTeams API (shared/api/connecttoteams.md), mounted under /connecttoteams.

Reads that are POST stay POST. Domain rules: inventory, SMS capability, carrier profile,
one assignee per number, SMS in services, unique group names, Teams users in scope; every
assignment or membership change sets appSynced to false until syncUnifiedApp.
"""

from __future__ import annotations

import base64
import binascii
import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from reconciler.sandbox import auth, errors, forms
from reconciler.sandbox.context import Sandbox, sandbox

router = APIRouter(prefix="/connecttoteams", tags=["connecttoteams"])

Id = Annotated[int, Field(ge=-(2**62), le=2**62)]
PathId = Annotated[int, Path(ge=0, le=2**62)]
SERVICES = ("PBX", "SMS", "CALLAPP")
SMS_HELD = "services = '[\"SMS\"]'"  # an SMS assignment, not a user's PBX or CallApp number


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


# Field limits (inferred: the vendor documents none): names 200, e-mail addresses 320.
Name = Annotated[str, Field(max_length=200)]
Email = Annotated[str, Field(max_length=320)]
Tag = Annotated[str, Field(max_length=256)]


class NewEnterprise(_Body):
    enterpriseName: Annotated[str, Field(min_length=1, max_length=200)]
    resellerId: Id
    services: list[str] = Field(default_factory=list)
    allowExternalNumbers: bool = False
    restrictAdminAccess: bool = False
    userLimit: Id | None = None


class EditEnterprise(NewEnterprise):
    enterpriseId: Id


class EnableUser(_Body):
    updatedBy: Id | Email | None = None
    userId: Annotated[str, Field(min_length=1, max_length=320)]
    email: Email | None = None
    enterpriseId: Id
    enable: bool = True
    useCallingPhoneNumber: bool = False
    callingPhoneNumber: Id | Annotated[str, Field(max_length=32)] | None = 0
    userType: Annotated[str, Field(max_length=20)] | None = "BU"
    userTag: Tag | None = None


class UserDids(_Body):
    updatedBy: Id | Email | None = None
    enterpriseId: Id
    userId: Annotated[str, Field(min_length=1, max_length=320)]
    assigned: bool = True
    smsDID: list[str | Id]


class GroupBody(_Body):
    groupId: Id = -1
    groupRef: Name | None = None
    groupName: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    groupOwner: Email | None = None
    enterpriseId: Id
    enable: bool = True
    deleteGroup: bool = False
    groupNameOld: Name | None = None


class GroupDids(_Body):
    assigned: bool = True
    updatedBy: Id | Email | None = None
    enterpriseId: Id
    groupId: Id
    groupRef: Name | None = None
    groupName: Name | None = None
    groupOwner: Email | None = None
    enterpriseRef: Name | None = None
    smsDID: list[str | Id]


class GroupMembers(_Body):
    groupId: Id
    enterpriseId: Id
    smsMembers: list[Annotated[str, Field(min_length=1, max_length=320)]]


async def reseller(request: Request, box: Annotated[Sandbox, Depends(sandbox)]) -> int:
    """The reseller id of the bearer token's user (401 without a valid token)."""
    watermark = request.scope.get("state", {}).get("token_watermark", 0)
    username = auth.check(
        box.store, box.clock, "c2t", request.headers.get("authorization"), watermark
    )
    users = box.store.get_meta("c2t.users", {})
    return int(users[username][1])


Reseller = Annotated[int, Depends(reseller)]
Box = Annotated[Sandbox, Depends(sandbox)]


# --- authentication ---------------------------------------------------------------------


@router.post("/oauth/token")
async def token(request: Request, box: Box) -> dict[str, Any]:
    clients = box.store.get_meta("c2t.clients", {})
    client_id, secret = _basic(request.headers.get("authorization"))
    if clients.get(client_id) != secret:
        raise errors.ApiError(401, "UNAUTHORIZED", "invalid_client: bad client credentials")
    form = await forms.form(request)
    grant = form.get("grant_type")
    ttl = float(box.store.get_meta("c2t.tokenTtl", 3600))
    if grant == "password":
        users = box.store.get_meta("c2t.users", {})
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        if username not in users or users[username][0] != password:
            raise errors.ApiError(401, "UNAUTHORIZED", "invalid_grant: bad username or password")
    elif grant == "refresh_token":
        old = str(form.get("refresh_token", ""))
        username = auth.lookup(box.store, box.clock, "c2t", "refresh", old)
        auth.revoke(box.store, old)
    else:
        raise errors.bad_request("grant_type must be 'password' or 'refresh_token'")
    access = auth.issue(box.store, box.clock, "c2t", "access", username, ttl)
    refresh = auth.issue(box.store, box.clock, "c2t", "refresh", username, ttl * 24)
    return {
        "access_token": access.value,
        "token_type": "bearer",
        "expires_in": int(ttl),
        "refresh_token": refresh.value,
    }


def _basic(header: str | None) -> tuple[str, str]:
    if not header or not header.startswith("Basic "):
        raise errors.ApiError(
            401, "UNAUTHORIZED", "invalid_client: Basic client credentials required"
        )
    try:
        client_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.ApiError(
            401, "UNAUTHORIZED", "invalid_client: malformed Basic header"
        ) from None
    return client_id, secret


@router.put("/reseller/getAuthenticatedUser")
async def authenticated_user(request: Request, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    username = (await request.body()).decode("utf-8", "replace").strip().strip('"')
    users = box.store.get_meta("c2t.users", {})
    if username not in users:
        raise errors.not_found(f"user {username!r} not found")
    return {"username": username, "type": "RESELLER", "resellerId": users[username][1]}


# --- enterprises --------------------------------------------------------------------------


@router.post("/reseller/newEnterprise")
async def new_enterprise(body: NewEnterprise, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    _check_reseller(body.resellerId, reseller_id)
    services = _services(body.services)
    with box.store.transaction() as db:
        enterprise_id = box.store.next_id("c2t.enterprise")
        db.execute(
            "INSERT INTO c2t_enterprise VALUES (?, ?, ?, ?, ?, 1)",
            (
                enterprise_id,
                body.enterpriseName,
                reseller_id,
                json.dumps(services),
                _settings(body),
            ),
        )
    return {
        "enterpriseId": enterprise_id,
        "enterpriseName": body.enterpriseName,
        "services": services,
    }


@router.get("/reseller/v3/getEnterprisesForReseller")
async def enterprises_for_reseller(
    box: Box, reseller_id: Reseller, resellerId: Annotated[int, Query(ge=0, le=2**62)]
) -> dict[str, Any]:
    _check_reseller(resellerId, reseller_id)
    with box.store.transaction() as db:
        rows = db.execute(
            "SELECT * FROM c2t_enterprise WHERE reseller_id = ? ORDER BY id", (reseller_id,)
        ).fetchall()
    data = [_enterprise_json(row) for row in rows]
    return {"data": data, "recordsTotal": len(data)}


@router.post("/reseller/editEnterprise")
async def edit_enterprise(body: EditEnterprise, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    _check_reseller(body.resellerId, reseller_id)
    services = _services(body.services)
    with box.store.transaction() as db:
        _enterprise(db, body.enterpriseId, reseller_id)
        db.execute(
            "UPDATE c2t_enterprise SET name = ?, services = ?, settings = ? WHERE id = ?",
            (body.enterpriseName, json.dumps(services), _settings(body), body.enterpriseId),
        )
        row = _enterprise(db, body.enterpriseId, reseller_id)
    return _enterprise_json(row)


def _check_reseller(given: int, actual: int) -> None:
    if given != actual:
        raise errors.bad_request(f"resellerId {given} is not the authenticated reseller ({actual})")


def _services(values: list[str]) -> list[str]:
    unknown = [v for v in values if v not in SERVICES]
    if unknown:
        raise errors.bad_request(f"services: unknown value {unknown[0]!r} (PBX, SMS, CALLAPP)")
    if "CALLAPP" in values and "PBX" not in values:
        raise errors.bad_request("services: CALLAPP needs PBX")
    return list(dict.fromkeys(values))


def _settings(body: NewEnterprise) -> str:
    return json.dumps(
        {
            "allowExternalNumbers": body.allowExternalNumbers,
            "restrictAdminAccess": body.restrictAdminAccess,
            "userLimit": body.userLimit,
        }
    )


def _enterprise_json(row: sqlite3.Row) -> dict[str, Any]:
    settings = json.loads(row["settings"])
    return {
        "enterpriseId": row["id"],
        "enterpriseName": row["name"],
        "services": json.loads(row["services"]),
        "allowExternalNumbers": settings.get("allowExternalNumbers", False),
        "restrictAdminAccess": settings.get("restrictAdminAccess", False),
        "userLimit": settings.get("userLimit"),
    }


def _enterprise(db: sqlite3.Connection, enterprise_id: int, reseller_id: int) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM c2t_enterprise WHERE id = ? AND reseller_id = ?",
        (enterprise_id, reseller_id),
    ).fetchone()
    if row is None:
        raise errors.not_found(f"enterprise {enterprise_id} not found")
    return row  # type: ignore[no-any-return]


def _sms_enterprise(db: sqlite3.Connection, enterprise_id: int, reseller_id: int) -> sqlite3.Row:
    row = _enterprise(db, enterprise_id, reseller_id)
    if "SMS" not in json.loads(row["services"]):
        raise errors.conflict(
            "SERVICE_NOT_ENABLED",
            f"SMS is not in the services of enterprise {enterprise_id}: add it with editEnterprise",
        )
    return row


def _in_scope(db: sqlite3.Connection, row: sqlite3.Row, user: str) -> None:
    if not db.execute(
        "SELECT 1 FROM c2t_teams_user WHERE enterprise_id = ? AND user_id = ?", (row["id"], user)
    ).fetchone():
        raise errors.ApiError(
            404,
            "USER_NOT_IN_SCOPE",
            f"{user} is not a Teams user in scope of enterprise {row['id']}",
        )


def _unsync(db: sqlite3.Connection, enterprise_id: int) -> None:
    db.execute("UPDATE c2t_enterprise SET app_synced = 0 WHERE id = ?", (enterprise_id,))


# --- SMS configuration --------------------------------------------------------------------


@router.post("/sms/getEnterpriseSMSConfig/{enterpriseId}")
async def sms_config(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = _enterprise(db, enterpriseId, reseller_id)
        numbers = db.execute(
            "SELECT id, did, carrier, assignee_type FROM c2t_number"
            " WHERE enterprise_id = ? AND sms = 1 ORDER BY id",
            (enterpriseId,),
        ).fetchall()
    return {
        "enterpriseId": enterpriseId,
        "enabled": "SMS" in json.loads(row["services"]),
        "dids": [
            {
                "id": n["id"],
                "did": n["did"],
                "assigned": n["assignee_type"] is not None,
                "connected": n["carrier"] is not None,
            }
            for n in numbers
        ],
        "appSynced": bool(row["app_synced"]),
        "templatesEnabled": True,
    }


@router.post("/sms/enableSMSServiceForUser")
async def enable_user(body: EnableUser, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        row = _sms_enterprise(db, body.enterpriseId, reseller_id)
        if body.enable:
            _in_scope(db, row, body.userId)
            db.execute(
                "INSERT OR REPLACE INTO c2t_sms_user VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
                (
                    body.enterpriseId,
                    body.userId,
                    body.email or body.userId,
                    int(body.useCallingPhoneNumber),
                    json.dumps(body.callingPhoneNumber),
                    body.userType or "BU",
                    body.userTag,
                ),
            )
        else:
            db.execute(
                "UPDATE c2t_sms_user SET enable = 0 WHERE enterprise_id = ? AND user_id = ?",
                (body.enterpriseId, body.userId),
            )
            released = db.execute(
                "UPDATE c2t_number SET assignee_type = NULL, assignee_id = NULL, services = '[]'"
                " WHERE enterprise_id = ? AND assignee_type = 'USER' AND assignee_id = ?"
                f" AND {SMS_HELD}",
                (body.enterpriseId, body.userId),
            ).rowcount
            if released:
                _unsync(db, body.enterpriseId)
    return Response(status_code=200)


@router.post("/sms/addSMSDidsForUser")
async def user_dids(body: UserDids, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        _sms_enterprise(db, body.enterpriseId, reseller_id)
        user = db.execute(
            "SELECT enable FROM c2t_sms_user WHERE enterprise_id = ? AND user_id = ?",
            (body.enterpriseId, body.userId),
        ).fetchone()
        if user is None or not user["enable"]:
            raise errors.not_found(
                f"{body.userId} is not an SMS user of enterprise {body.enterpriseId}:"
                " enable it with enableSMSServiceForUser"
            )
        holder = ("USER", body.userId, f"SMS user {body.userId}")
        _assign(db, body.enterpriseId, _did_ids(body.smsDID), holder, body.assigned)
    return Response(status_code=200)


@router.post("/sms/createSMSGroup")
async def create_group(body: GroupBody, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = _sms_enterprise(db, body.enterpriseId, reseller_id)
        if body.groupId == -1:
            return _new_group(db, box, row, body)
        group = _group(db, body.enterpriseId, body.groupId)
        if body.deleteGroup:
            _delete_group(db, body.enterpriseId, group)
            return _group_json(db, group, created=False) | {"deleteGroup": True}
        name = body.groupName or group["name"]
        owner = body.groupOwner or group["owner"]
        _in_scope(db, row, owner)
        if name != group["name"]:
            # A rename names the group's current name in groupNameOld (the contract).
            if body.groupNameOld != group["name"]:
                raise errors.bad_request(
                    f"renaming SMS group {group['id']} ({group['name']!r}) to {name!r} needs"
                    f" groupNameOld = {group['name']!r}; got {body.groupNameOld!r}"
                )
            _unique_name(db, body.enterpriseId, name)
        db.execute(
            "UPDATE c2t_group SET name = ?, owner = ?, enable = ?, group_ref = ? WHERE id = ?",
            (name, owner, int(body.enable), body.groupRef, group["id"]),
        )
        return _group_json(db, _group(db, body.enterpriseId, body.groupId), created=False)


def _new_group(
    db: sqlite3.Connection, box: Sandbox, row: sqlite3.Row, body: GroupBody
) -> dict[str, Any]:
    if not body.groupName or not body.groupOwner:
        raise errors.bad_request("groupName and groupOwner are required to create a group")
    _in_scope(db, row, body.groupOwner)
    _unique_name(db, body.enterpriseId, body.groupName)
    group_id = box.store.next_id("c2t.group")
    db.execute(
        "INSERT INTO c2t_group VALUES (?, ?, ?, ?, ?, ?)",
        (
            group_id,
            body.enterpriseId,
            body.groupName,
            body.groupOwner,
            int(body.enable),
            body.groupRef,
        ),
    )
    return _group_json(db, _group(db, body.enterpriseId, group_id), created=True)


def _unique_name(db: sqlite3.Connection, enterprise_id: int, name: str) -> None:
    if db.execute(
        "SELECT 1 FROM c2t_group WHERE enterprise_id = ? AND name = ?", (enterprise_id, name)
    ).fetchone():
        raise errors.conflict(
            "DUPLICATE_GROUP_NAME",
            f"an SMS group named {name!r} already exists in enterprise {enterprise_id}",
        )


def _delete_group(db: sqlite3.Connection, enterprise_id: int, group: sqlite3.Row) -> None:
    released = db.execute(
        "UPDATE c2t_number SET assignee_type = NULL, assignee_id = NULL, services = '[]'"
        " WHERE enterprise_id = ? AND assignee_type = 'SMS_GROUP' AND assignee_id = ?",
        (enterprise_id, str(group["id"])),
    ).rowcount
    removed = db.execute("DELETE FROM c2t_group_member WHERE group_id = ?", (group["id"],)).rowcount
    db.execute("DELETE FROM c2t_group WHERE id = ?", (group["id"],))
    if released or removed:
        _unsync(db, enterprise_id)


def _group(db: sqlite3.Connection, enterprise_id: int, group_id: int) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM c2t_group WHERE id = ? AND enterprise_id = ?", (group_id, enterprise_id)
    ).fetchone()
    if row is None:
        raise errors.not_found(f"SMS group {group_id} not found in enterprise {enterprise_id}")
    return row  # type: ignore[no-any-return]


def _group_json(db: sqlite3.Connection, group: sqlite3.Row, *, created: bool) -> dict[str, Any]:
    synced = db.execute(
        "SELECT app_synced FROM c2t_enterprise WHERE id = ?", (group["enterprise_id"],)
    ).fetchone()[0]
    return {
        "groupId": group["id"],
        "groupRef": group["group_ref"],
        "groupName": group["name"],
        "groupOwner": group["owner"],
        "enterpriseId": group["enterprise_id"],
        "enterpriseRef": None,
        "app_sync": bool(synced),
        "enable": bool(group["enable"]),
        "dids": None
        if created
        else _dids_by_holder(db, group["enterprise_id"], "SMS_GROUP").get(str(group["id"]), []),
        "members": None if created else _members(db, group["id"]),
    }


@router.post("/sms/assignSMSDidsForGroup")
async def group_dids(body: GroupDids, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        _sms_enterprise(db, body.enterpriseId, reseller_id)
        group = _group(db, body.enterpriseId, body.groupId)
        holder = ("SMS_GROUP", str(group["id"]), f"SMS group {group['name']!r} ({group['id']})")
        _assign(db, body.enterpriseId, _did_ids(body.smsDID), holder, body.assigned)
    return Response(status_code=200)


@router.post("/sms/addSMSMembersForGroup")
async def add_members(body: GroupMembers, box: Box, reseller_id: Reseller) -> Response:
    return _members_change(body, box, reseller_id, add=True)


@router.post("/sms/removeSMSMembersForGroup")
async def remove_members(body: GroupMembers, box: Box, reseller_id: Reseller) -> Response:
    return _members_change(body, box, reseller_id, add=False)


def _members_change(body: GroupMembers, box: Sandbox, reseller_id: int, *, add: bool) -> Response:
    if not body.smsMembers:
        raise errors.bad_request("smsMembers must list at least one member")
    with box.store.transaction() as db:
        row = _sms_enterprise(db, body.enterpriseId, reseller_id)
        group = _group(db, body.enterpriseId, body.groupId)
        changed = 0
        for member in body.smsMembers:
            if add:
                _in_scope(db, row, member)
                changed += db.execute(
                    "INSERT OR IGNORE INTO c2t_group_member VALUES (?, ?)", (group["id"], member)
                ).rowcount
            else:
                changed += db.execute(
                    "DELETE FROM c2t_group_member WHERE group_id = ? AND member = ?",
                    (group["id"], member),
                ).rowcount
        if changed:
            _unsync(db, body.enterpriseId)
    return Response(status_code=200)


def _did_ids(values: list[str | int]) -> list[int]:
    ids = []
    for value in values:
        text = str(value)
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise errors.bad_request(f"smsDID: {value!r} is not a DID id (a string of digits)")
        ids.append(int(text))
    if not ids:
        raise errors.bad_request("smsDID must list at least one DID id")
    return list(dict.fromkeys(ids))


def _assign(
    db: sqlite3.Connection,
    enterprise_id: int,
    ids: list[int],
    holder: tuple[str, str, str],
    assigned: bool,
) -> None:
    """Assign (or release) DIDs to a holder, all or nothing, checking every rule first."""
    kind, holder_id, label = holder
    rows = []
    for did_id in ids:
        row = db.execute(
            "SELECT * FROM c2t_number WHERE id = ? AND enterprise_id = ?", (did_id, enterprise_id)
        ).fetchone()
        if row is None:
            raise errors.not_found(
                f"DID {did_id} is not in the inventory of enterprise {enterprise_id}"
            )
        mine = (
            row["assignee_type"] == kind
            and row["assignee_id"] == holder_id
            and json.loads(row["services"]) == ["SMS"]
        )
        if row["assignee_type"] is not None and not mine:
            raise errors.conflict(
                "DID_ALREADY_ASSIGNED",
                f"DID {did_id} (+{_e164(row)}) is assigned to {_describe(db, row)}, not {label}",
            )
        if assigned and not row["sms"]:
            raise errors.conflict(
                "DID_NOT_SMS_CAPABLE", f"DID {did_id} (+{_e164(row)}) has no SMS capability"
            )
        if assigned and row["carrier"] is None:
            raise errors.conflict(
                "DID_NO_CARRIER_PROFILE", f"DID {did_id} (+{_e164(row)}) has no SMS carrier profile"
            )
        if mine != assigned:
            rows.append(row)
    for row in rows:
        db.execute(
            "UPDATE c2t_number SET assignee_type = ?, assignee_id = ?, services = ? WHERE id = ?",
            (
                kind if assigned else None,
                holder_id if assigned else None,
                '["SMS"]' if assigned else "[]",
                row["id"],
            ),
        )
    if rows:
        _unsync(db, enterprise_id)


def _e164(row: sqlite3.Row) -> str:
    return str(row["e164"]).lstrip("+")


def _describe(db: sqlite3.Connection, row: sqlite3.Row) -> str:
    if row["assignee_type"] == "SMS_GROUP":
        group = db.execute(
            "SELECT name FROM c2t_group WHERE id = ?", (int(row["assignee_id"]),)
        ).fetchone()
        name = group["name"] if group else "?"
        return f"SMS group {name!r} ({row['assignee_id']})"
    if row["assignee_type"] == "USER":
        detail = (
            ""
            if json.loads(row["services"]) == ["SMS"]
            else f" ({', '.join(json.loads(row['services']))})"
        )
        return f"user {row['assignee_id']}{detail}"
    return f"{row['assignee_type']} {row['assignee_id']}"


def _members(db: sqlite3.Connection, group_id: int) -> list[str]:
    rows = db.execute(
        "SELECT member FROM c2t_group_member WHERE group_id = ? ORDER BY rowid", (group_id,)
    ).fetchall()
    return [r["member"] for r in rows]


@router.post("/sms/getSMSUsers/{enterpriseId}")
async def sms_users(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> list[dict[str, Any]]:
    with box.store.transaction() as db:
        _enterprise(db, enterpriseId, reseller_id)
        users = db.execute(
            "SELECT * FROM c2t_sms_user WHERE enterprise_id = ? ORDER BY user_id", (enterpriseId,)
        ).fetchall()
        dids = _dids_by_holder(db, enterpriseId, "USER")
    return [
        {
            "userId": u["user_id"],
            "email": u["email"],
            "enable": bool(u["enable"]),
            "useCallingPhoneNumber": bool(u["use_calling"]),
            "callingPhoneNumber": json.loads(u["calling_number"]) if u["calling_number"] else 0,
            "userType": u["user_type"],
            "userTag": u["user_tag"],
            "dids": dids.get(u["user_id"], []),
        }
        for u in users
    ]


@router.post("/sms/getSMSGroups/{enterpriseId}")
async def sms_groups(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> list[dict[str, Any]]:
    with box.store.transaction() as db:
        _enterprise(db, enterpriseId, reseller_id)
        groups = db.execute(
            "SELECT * FROM c2t_group WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
        dids = _dids_by_holder(db, enterpriseId, "SMS_GROUP")
        members: dict[int, list[str]] = {}
        for row in db.execute(
            "SELECT m.group_id, m.member FROM c2t_group_member m"
            " JOIN c2t_group g ON g.id = m.group_id WHERE g.enterprise_id = ? ORDER BY m.rowid",
            (enterpriseId,),
        ):
            members.setdefault(row["group_id"], []).append(row["member"])
    return [
        {
            "groupId": g["id"],
            "groupRef": g["group_ref"],
            "groupName": g["name"],
            "groupOwner": g["owner"],
            "enterpriseId": enterpriseId,
            "enable": bool(g["enable"]),
            "dids": dids.get(str(g["id"]), []),
            "members": members.get(g["id"], []),
        }
        for g in groups
    ]


def _dids_by_holder(
    db: sqlite3.Connection, enterprise_id: int, kind: str
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in db.execute(
        "SELECT id, did, assignee_id FROM c2t_number WHERE enterprise_id = ? AND assignee_type = ?"
        f" AND {SMS_HELD}"
        " ORDER BY id",
        (enterprise_id, kind),
    ):
        out.setdefault(row["assignee_id"], []).append({"id": row["id"], "did": row["did"]})
    return out


@router.post("/enterprise/syncUnifiedApp/{enterpriseId}")
async def sync_unified_app(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        _enterprise(db, enterpriseId, reseller_id)
        db.execute("UPDATE c2t_enterprise SET app_synced = 1 WHERE id = ?", (enterpriseId,))
    return Response(status_code=200)


# --- phone number inventory -------------------------------------------------------------


@router.post("/enterprise/getPhoneNumbers/{enterpriseId}")
async def phone_numbers(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> JSONResponse:
    with box.store.transaction() as db:
        _enterprise(db, enterpriseId, reseller_id)
        rows = db.execute(
            "SELECT * FROM c2t_number WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
    return JSONResponse([_number_json(r) for r in rows])


def _number_json(row: sqlite3.Row) -> dict[str, Any]:
    kind = row["assignee_type"]
    services = json.loads(row["services"])
    return {
        "id": row["id"],
        "countryCode": row["country_code"],
        "phoneNumber": row["national"],
        "voice": bool(row["voice"]),
        "sms": bool(row["sms"]),
        "fax": bool(row["fax"]),
        "voiceRouteType": row["route"],
        "smsCarrierProfile": row["carrier"],
        "assignedTo": None if kind is None else {"type": kind, "id": row["assignee_id"]},
        "services": services,
    }
