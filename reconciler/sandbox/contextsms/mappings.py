"""ContextSMS number -> messaging app mappings: add, list (per enterprise, per CSP),
edit (retarget), delete, find by messaging app id."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reconciler.sandbox import errors
from reconciler.sandbox.contextsms.common import (
    Body,
    Box,
    CspOfUser,
    Text,
    check_permitted,
    e164,
    json_object,
)
from reconciler.sandbox.contextsms.enterprises import find_enterprise

router = APIRouter()


class NewMapping(Body):
    phoneNumber: Text
    messagingAppType: Text = "Teams"
    messagingAppId: Annotated[str, Field(min_length=1, max_length=500)]
    name: Text | None = None


class EditMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messagingAppId: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    phoneNumber: Text | None = None


class AppId(Body):
    messagingAppId: Text


@router.post("/mapping/add/{enterpriseId}")
async def add_mapping(
    enterpriseId: Text, body: NewMapping, box: Box, user_csp: CspOfUser
) -> dict[str, Any]:
    number = e164(body.phoneNumber)
    if body.messagingAppType != "Teams":
        raise errors.bad_request("messagingAppType must be Teams")
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, user_csp)
        _unmapped(db, number)
        mapping_id = f"NTMAP{box.store.next_id('csms.mapping'):07d}"
        db.execute(
            "INSERT INTO csms_mapping VALUES (?, ?, ?, ?, ?, ?)",
            (
                mapping_id,
                enterpriseId,
                number,
                body.messagingAppType,
                body.messagingAppId,
                body.name,
            ),
        )
        return _mapping_json(_mapping(db, mapping_id, user_csp))


def _unmapped(db: sqlite3.Connection, number: str) -> None:
    if db.execute("SELECT 1 FROM csms_mapping WHERE phone = ?", (number,)).fetchone():
        raise errors.conflict(
            "DUPLICATE_MAPPING", f"Phone number {number} is already mapped to another enterprise"
        )


@router.get("/numbertomessageappmapping/enterprise/{enterpriseId}")
async def enterprise_mappings(
    enterpriseId: Text, box: Box, user_csp: CspOfUser
) -> list[dict[str, Any]]:
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, user_csp)
        rows = db.execute(
            "SELECT * FROM csms_mapping WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
    return [{"enterpriseId": enterpriseId, "numberToMessageAppMap": _mapping_json(r)} for r in rows]


@router.get("/mapping/csp/{cspId}")
async def csp_mappings(cspId: Text, box: Box, user_csp: CspOfUser) -> list[dict[str, Any]]:
    check_permitted(cspId, user_csp)
    with box.store.transaction() as db:
        rows = db.execute(
            "SELECT m.* FROM csms_mapping m JOIN csms_enterprise e ON e.id = m.enterprise_id"
            " WHERE e.csp_id = ? AND e.deleted = 0 ORDER BY m.id",
            (cspId,),
        ).fetchall()
    return [
        {"enterpriseId": r["enterprise_id"], "numberToMessageAppMap": _mapping_json(r)}
        for r in rows
    ]


@router.put("/mapping/{mappingId}")
async def edit_mapping(
    mappingId: Text, request: Request, box: Box, user_csp: CspOfUser
) -> dict[str, Any]:
    body = await json_object(request)
    unknown = sorted(set(body) - {"messagingAppId", "phoneNumber"})
    if unknown:
        raise errors.bad_request(
            f"only messagingAppId and phoneNumber can change; {unknown[0]} cannot (delete and add)"
        )
    try:
        change = EditMapping.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        raise errors.bad_request(f"Invalid field '{field}': {first['msg']}") from None
    with box.store.transaction() as db:
        row = _mapping(db, mappingId, user_csp)
        if change.phoneNumber is not None and change.phoneNumber != row["phone"]:
            _unmapped(db, e164(change.phoneNumber))
            db.execute(
                "UPDATE csms_mapping SET phone = ? WHERE id = ?", (change.phoneNumber, mappingId)
            )
        if change.messagingAppId is not None:
            db.execute(
                "UPDATE csms_mapping SET app_id = ? WHERE id = ?",
                (change.messagingAppId, mappingId),
            )
        return _mapping_json(_mapping(db, mappingId, user_csp))


@router.delete("/mapping/{mappingId}")
async def delete_mapping(mappingId: Text, box: Box, user_csp: CspOfUser) -> PlainTextResponse:
    with box.store.transaction() as db:
        _mapping(db, mappingId, user_csp)
        db.execute("DELETE FROM csms_mapping WHERE id = ?", (mappingId,))
    return PlainTextResponse(f"Deleted mapping {mappingId}")


@router.post("/mapping/messagingAppId")
async def mapping_by_app(body: AppId, box: Box, user_csp: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = db.execute(
            "SELECT id FROM csms_mapping WHERE app_id = ? ORDER BY id", (body.messagingAppId,)
        ).fetchone()
        if row is None:
            raise errors.not_found(f"No mapping for messagingAppId {body.messagingAppId}")
        return _mapping_json(_mapping(db, row["id"], user_csp))


def _mapping(db: sqlite3.Connection, mapping_id: str, user_csp: str) -> sqlite3.Row:
    row = db.execute(
        "SELECT m.*, e.csp_id FROM csms_mapping m JOIN csms_enterprise e ON e.id = m.enterprise_id"
        " WHERE m.id = ?",
        (mapping_id,),
    ).fetchone()
    if row is None:
        raise errors.not_found(f"Mapping {mapping_id} not found")
    check_permitted(row["csp_id"], user_csp)
    return row  # type: ignore[no-any-return]


def _mapping_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "numberToMessageAppMapId": row["id"],
        "phoneNumber": row["phone"],
        "messagingAppType": row["app_type"],
        "messagingAppId": row["app_id"],
        "name": row["name"],
    }
