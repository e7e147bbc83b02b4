"""ContextSMS enterprises under a CSP: create, get, list, delete."""

from __future__ import annotations

import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter
from fastapi.responses import PlainTextResponse
from pydantic import Field

from reconciler.sandbox import errors
from reconciler.sandbox.contextsms.common import (
    Body,
    Box,
    CspOfUser,
    Email_,
    Text,
    check_permitted,
    e164,
)
from reconciler.sandbox.contextsms.csps import find_csp

router = APIRouter()


class NewEnterprise(Body):
    """All four are required (the vendor guide's field table)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    contact: Annotated[str, Field(min_length=1, max_length=500)]
    number: Text
    email: Email_


@router.post("/enterprise/{cspId}", status_code=201)
async def new_enterprise(
    cspId: Text, body: NewEnterprise, box: Box, user_csp: CspOfUser
) -> dict[str, Any]:
    check_permitted(cspId, user_csp)
    e164(body.number)
    now = int(box.clock.now() * 1000)
    with box.store.transaction() as db:
        find_csp(db, cspId)
        enterprise_id = f"E{box.store.next_id('csms.enterprise'):07d}"
        db.execute(
            "INSERT INTO csms_enterprise VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (enterprise_id, cspId, body.name, body.contact, body.number, body.email, now, now),
        )
        return _enterprise_json(find_enterprise(db, enterprise_id, user_csp))


@router.get("/enterprise/getenterprise/{enterpriseId}")
async def get_enterprise(enterpriseId: Text, box: Box, user_csp: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        return _enterprise_json(find_enterprise(db, enterpriseId, user_csp))


@router.get("/csp/enterprises/{cspId}")
async def csp_enterprises(cspId: Text, box: Box, user_csp: CspOfUser) -> list[dict[str, Any]]:
    check_permitted(cspId, user_csp)
    with box.store.transaction() as db:
        rows = db.execute(
            "SELECT * FROM csms_enterprise WHERE csp_id = ? AND deleted = 0 ORDER BY id", (cspId,)
        ).fetchall()
    if not rows:
        raise errors.not_found("Enterprises not found")
    return [_enterprise_json(r) for r in rows]


@router.delete("/enterprise/deleteenterprise/{enterpriseId}")
async def delete_enterprise(enterpriseId: Text, box: Box, user_csp: CspOfUser) -> PlainTextResponse:
    now = int(box.clock.now() * 1000)
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, user_csp)
        db.execute(
            "UPDATE csms_enterprise SET deleted = 1, updated = ? WHERE id = ?", (now, enterpriseId)
        )
        db.execute("DELETE FROM csms_mapping WHERE enterprise_id = ?", (enterpriseId,))
    return PlainTextResponse(f"Deleted enterprise {enterpriseId}")


def find_enterprise(db: sqlite3.Connection, enterprise_id: str, user_csp: str) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM csms_enterprise WHERE id = ? AND deleted = 0", (enterprise_id,)
    ).fetchone()
    if row is None:
        raise errors.not_found(f"Enterprise {enterprise_id} not found")
    check_permitted(row["csp_id"], user_csp)
    return row  # type: ignore[no-any-return]


def _enterprise_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "enterpriseId": row["id"],
        "name": row["name"],
        "contact": row["contact"],
        "number": row["number"],
        "email": row["email"],
        "deleted": bool(row["deleted"]),
        "createdDate": row["created"],
        "updateDate": row["updated"],
    }
