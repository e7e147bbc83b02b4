"""ConnecttoTeams enterprises under a reseller: create, list, edit (services and
settings), the SMS config (appSynced) and Sync Unified App."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import Field

from reconciler.sandbox import errors
from reconciler.sandbox.connecttoteams.common import (
    SERVICES,
    Body,
    Box,
    Id,
    PathId,
    Reseller,
    check_reseller,
    find_enterprise,
)

router = APIRouter()


class NewEnterprise(Body):
    enterpriseName: Annotated[str, Field(min_length=1, max_length=200)]
    resellerId: Id
    services: list[str] = Field(default_factory=list)
    allowExternalNumbers: bool = False
    restrictAdminAccess: bool = False
    userLimit: Id | None = None


class EditEnterprise(NewEnterprise):
    enterpriseId: Id


@router.post("/reseller/newEnterprise")
async def new_enterprise(body: NewEnterprise, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    check_reseller(body.resellerId, reseller_id)
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
    check_reseller(resellerId, reseller_id)
    with box.store.transaction() as db:
        rows = db.execute(
            "SELECT * FROM c2t_enterprise WHERE reseller_id = ? ORDER BY id", (reseller_id,)
        ).fetchall()
    data = [_enterprise_json(row) for row in rows]
    return {"data": data, "recordsTotal": len(data)}


@router.post("/reseller/editEnterprise")
async def edit_enterprise(body: EditEnterprise, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    check_reseller(body.resellerId, reseller_id)
    services = _services(body.services)
    with box.store.transaction() as db:
        find_enterprise(db, body.enterpriseId, reseller_id)
        db.execute(
            "UPDATE c2t_enterprise SET name = ?, services = ?, settings = ? WHERE id = ?",
            (body.enterpriseName, json.dumps(services), _settings(body), body.enterpriseId),
        )
        row = find_enterprise(db, body.enterpriseId, reseller_id)
    return _enterprise_json(row)


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


@router.post("/sms/getEnterpriseSMSConfig/{enterpriseId}")
async def sms_config(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = find_enterprise(db, enterpriseId, reseller_id)
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


@router.post("/enterprise/syncUnifiedApp/{enterpriseId}")
async def sync_unified_app(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> Response:
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, reseller_id)
        db.execute("UPDATE c2t_enterprise SET app_synced = 1 WHERE id = ?", (enterpriseId,))
    return Response(status_code=200)
