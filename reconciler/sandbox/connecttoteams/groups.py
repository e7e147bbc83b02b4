"""ConnecttoTeams SMS groups: create, rename (groupNameOld), delete, their numbers and
members, and the listing."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from reconciler.sandbox import errors
from reconciler.sandbox.connecttoteams.common import (
    Body,
    Box,
    Email,
    Id,
    Name,
    PathId,
    Reseller,
    check_in_scope,
    find_enterprise,
    find_sms_enterprise,
    unsync,
)
from reconciler.sandbox.connecttoteams.numbers import assign, did_ids, dids_by_holder
from reconciler.sandbox.context import Sandbox

router = APIRouter()


class GroupBody(Body):
    groupId: Id = -1
    groupRef: Name | None = None
    groupName: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    groupOwner: Email | None = None
    enterpriseId: Id
    enable: bool = True
    deleteGroup: bool = False
    groupNameOld: Name | None = None


class GroupDids(Body):
    assigned: bool = True
    updatedBy: Id | Email | None = None
    enterpriseId: Id
    groupId: Id
    groupRef: Name | None = None
    groupName: Name | None = None
    groupOwner: Email | None = None
    enterpriseRef: Name | None = None
    smsDID: list[str | Id]


class GroupMembers(Body):
    groupId: Id
    enterpriseId: Id
    smsMembers: list[Annotated[str, Field(min_length=1, max_length=320)]]


@router.post("/sms/createSMSGroup")
async def create_group(body: GroupBody, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = find_sms_enterprise(db, body.enterpriseId, reseller_id)
        if body.groupId == -1:
            return _new_group(db, box, row, body)
        group = _group(db, body.enterpriseId, body.groupId)
        if body.deleteGroup:
            _delete_group(db, body.enterpriseId, group)
            return _group_json(db, group, created=False) | {"deleteGroup": True}
        name = body.groupName or group["name"]
        owner = body.groupOwner or group["owner"]
        check_in_scope(db, row, owner)
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
    check_in_scope(db, row, body.groupOwner)
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
        unsync(db, enterprise_id)


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
        else dids_by_holder(db, group["enterprise_id"], "SMS_GROUP").get(str(group["id"]), []),
        "members": None if created else _members(db, group["id"]),
    }


@router.post("/sms/assignSMSDidsForGroup")
async def group_dids(body: GroupDids, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        find_sms_enterprise(db, body.enterpriseId, reseller_id)
        group = _group(db, body.enterpriseId, body.groupId)
        holder = ("SMS_GROUP", str(group["id"]), f"SMS group {group['name']!r} ({group['id']})")
        assign(db, body.enterpriseId, did_ids(body.smsDID), holder, body.assigned)
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
        row = find_sms_enterprise(db, body.enterpriseId, reseller_id)
        group = _group(db, body.enterpriseId, body.groupId)
        changed = 0
        for member in body.smsMembers:
            if add:
                check_in_scope(db, row, member)
                changed += db.execute(
                    "INSERT OR IGNORE INTO c2t_group_member VALUES (?, ?)", (group["id"], member)
                ).rowcount
            else:
                changed += db.execute(
                    "DELETE FROM c2t_group_member WHERE group_id = ? AND member = ?",
                    (group["id"], member),
                ).rowcount
        if changed:
            unsync(db, body.enterpriseId)
    return Response(status_code=200)


def _members(db: sqlite3.Connection, group_id: int) -> list[str]:
    rows = db.execute(
        "SELECT member FROM c2t_group_member WHERE group_id = ? ORDER BY rowid", (group_id,)
    ).fetchall()
    return [r["member"] for r in rows]


@router.post("/sms/getSMSGroups/{enterpriseId}")
async def sms_groups(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> list[dict[str, Any]]:
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, reseller_id)
        groups = db.execute(
            "SELECT * FROM c2t_group WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
        dids = dids_by_holder(db, enterpriseId, "SMS_GROUP")
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
