"""ConnecttoTeams SMS users: enable or disable one, assign or release its numbers, list
them with their numbers."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import Field

from reconciler.sandbox import errors
from reconciler.sandbox.connecttoteams.common import (
    SMS_HELD,
    Body,
    Box,
    Email,
    Id,
    PathId,
    Reseller,
    Tag,
    check_in_scope,
    find_enterprise,
    find_sms_enterprise,
    unsync,
)
from reconciler.sandbox.connecttoteams.numbers import assign, did_ids, dids_by_holder

router = APIRouter()


class EnableUser(Body):
    updatedBy: Id | Email | None = None
    userId: Annotated[str, Field(min_length=1, max_length=320)]
    email: Email | None = None
    enterpriseId: Id
    enable: bool = True
    useCallingPhoneNumber: bool = False
    callingPhoneNumber: Id | Annotated[str, Field(max_length=32)] | None = 0
    userType: Annotated[str, Field(max_length=20)] | None = "BU"
    userTag: Tag | None = None


class UserDids(Body):
    updatedBy: Id | Email | None = None
    enterpriseId: Id
    userId: Annotated[str, Field(min_length=1, max_length=320)]
    assigned: bool = True
    smsDID: list[str | Id]


@router.post("/sms/enableSMSServiceForUser")
async def enable_user(body: EnableUser, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        row = find_sms_enterprise(db, body.enterpriseId, reseller_id)
        if body.enable:
            check_in_scope(db, row, body.userId)
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
                unsync(db, body.enterpriseId)
    return Response(status_code=200)


@router.post("/sms/addSMSDidsForUser")
async def user_dids(body: UserDids, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        find_sms_enterprise(db, body.enterpriseId, reseller_id)
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
        assign(db, body.enterpriseId, did_ids(body.smsDID), holder, body.assigned)
    return Response(status_code=200)


@router.post("/sms/getSMSUsers/{enterpriseId}")
async def sms_users(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> list[dict[str, Any]]:
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, reseller_id)
        users = db.execute(
            "SELECT * FROM c2t_sms_user WHERE enterprise_id = ? ORDER BY user_id", (enterpriseId,)
        ).fetchall()
        dids = dids_by_holder(db, enterpriseId, "USER")
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
