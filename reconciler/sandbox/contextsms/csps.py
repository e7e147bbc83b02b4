"""ContextSMS CSPs: create, edit, and the CSP's configuration (branding)."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import model_validator

from reconciler.sandbox import errors
from reconciler.sandbox.contextsms.common import Body, Box, CspOfUser, Email_, Text, e164

router = APIRouter()


class NewCsp(Body):
    """The spec's twelve required fields, each a string (none may be null)."""

    email: Email_
    name: Text
    carrier: Text
    houseNumber: Text
    streetName: Text
    city: Text
    stateCode: Text
    zip: Text
    country: Text
    locationId: Text
    subAccountId: Text
    authorizingPersonName: Text


class EditCsp(Body):
    """What PUT /csp/{id} may change: any of these, each a string when given."""

    email: Email_ | None = None
    name: Text | None = None
    carrier: Text | None = None
    productName: Text | None = None
    favicon: Text | None = None
    logo: Text | None = None
    color: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _no_nulls(cls, data: Any) -> Any:
        if isinstance(data, dict):
            nulls = sorted(k for k, v in data.items() if v is None and k in cls.model_fields)
            if nulls:
                raise ValueError(f"{', '.join(nulls)}: a string, not null (leave it out)")
        return data


@router.post("/csp")
async def new_csp(body: NewCsp, box: Box, _: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        csp_id = f"CSP{box.store.next_id('csms.csp'):07d}"
        data = {"cspUserId": csp_id, **body.model_dump()}
        db.execute("INSERT INTO csms_csp VALUES (?, ?)", (csp_id, json.dumps(data)))
    return data


@router.put("/csp/{cspUserId}")
async def edit_csp(cspUserId: Text, body: EditCsp, box: Box, _: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        data = find_csp(db, cspUserId)
        data.update(body.model_dump(exclude_none=True))
        db.execute("UPDATE csms_csp SET data = ? WHERE id = ?", (json.dumps(data), cspUserId))
    return data


class CspByEmail(Body):
    email: Email_


@router.post("/csp/getcsp")
async def csp_by_email(body: CspByEmail, box: Box, _: CspOfUser) -> dict[str, Any]:
    """The CSP record (cspUserId, email, name) of an email address (the spec's getCSP)."""
    with box.store.transaction() as db:
        rows = db.execute("SELECT data FROM csms_csp ORDER BY id").fetchall()
    for row in rows:
        data = json.loads(row["data"])
        if str(data.get("email", "")).lower() == body.email.lower():
            return {k: data.get(k) for k in ("cspUserId", "email", "name")}
    raise errors.not_found(f"CSP with email {body.email} not found")


@router.get("/csp/getcspconfig")
async def csp_config(
    box: Box, _: CspOfUser, phoneNumber: Annotated[str, Query(max_length=100)]
) -> dict[str, Any]:
    number = e164(phoneNumber)
    with box.store.transaction() as db:
        row = db.execute(
            "SELECT e.csp_id FROM csms_mapping m JOIN csms_enterprise e ON e.id = m.enterprise_id"
            " WHERE m.phone = ? AND e.deleted = 0",
            (number,),
        ).fetchone()
        if row is None:
            raise errors.not_found(f"No mapping found for {number}")
        data = find_csp(db, row["csp_id"])
    # The guide and the OpenAPI file show four strings; unset white-label values answer
    # the platform's own branding (inferred), never null.
    return {k: data.get(k) or default for k, default in BRANDING.items()}


BRANDING = {"productName": "ContextSMS", "favicon": "", "logo": "", "color": "#000000"}


def find_csp(db: sqlite3.Connection, csp_id: str) -> dict[str, Any]:
    row = db.execute("SELECT data FROM csms_csp WHERE id = ?", (csp_id,)).fetchone()
    if row is None:
        raise errors.not_found(f"CSP {csp_id} not found")
    data: dict[str, Any] = json.loads(row["data"])
    return data
