"""The ContextSMS Teams Platform API (shared/api/contextsms.md), under /contextsms/api/v2.

Ids are a prefix and 7 digits (CSP0000003, E0000090, NTMAP0000123); dates are epoch
milliseconds; a number maps to one Teams app across all enterprises (409 DUPLICATE_MAPPING).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import sqlite3
from typing import Annotated, Any

import phonenumbers
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse
from pydantic import BaseModel, ConfigDict, EmailStr, Field, ValidationError

from reconciler.sandbox import auth, errors
from reconciler.sandbox.context import Sandbox, sandbox

router = APIRouter(prefix="/contextsms/api/v2", tags=["contextsms"])
Box = Annotated[Sandbox, Depends(sandbox)]
Text = Annotated[str, Field(max_length=500)]


class _Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Login(_Body):
    username: Text
    password: Text


class Refresh(_Body):
    username: Text
    refreshToken: Text


Email_ = Annotated[EmailStr, Field(max_length=320)]  # the OpenAPI file: format: email


class NewCsp(_Body):
    email: Email_
    name: Text
    carrier: Text | None = None
    houseNumber: Text | None = None
    streetName: Text | None = None
    city: Text | None = None
    stateCode: Text | None = None
    zip: Text | None = None
    country: Text | None = None
    locationId: Text | None = None
    subAccountId: Text | None = None
    authorizingPersonName: Text | None = None


class EditCsp(_Body):
    email: Email_ | None = None
    name: Text | None = None
    carrier: Text | None = None
    productName: Text | None = None
    favicon: Text | None = None
    logo: Text | None = None
    color: Text | None = None


class NewEnterprise(_Body):
    """All four are required (the vendor guide's field table)."""

    name: Annotated[str, Field(min_length=1, max_length=200)]
    contact: Annotated[str, Field(min_length=1, max_length=500)]
    number: Text
    email: Email_


class NewMapping(_Body):
    phoneNumber: Text
    messagingAppType: Text = "Teams"
    messagingAppId: Annotated[str, Field(min_length=1, max_length=500)]
    name: Text | None = None


class EditMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    messagingAppId: Annotated[str, Field(min_length=1, max_length=500)] | None = None
    phoneNumber: Text | None = None


class AppId(_Body):
    messagingAppId: Text


class Email(_Body):
    email: Text


async def user(request: Request, box: Box) -> str:
    """The CSP id of the bearer token's user (401 without a valid token)."""
    watermark = request.scope.get("state", {}).get("token_watermark", 0)
    username = auth.check(
        box.store, box.clock, "csms", request.headers.get("authorization"), watermark
    )
    with box.store.transaction() as db:
        row = db.execute("SELECT csp_id FROM csms_user WHERE username = ?", (username,)).fetchone()
    if row is None:
        raise errors.unauthorized()
    return str(row["csp_id"])


CspOfUser = Annotated[str, Depends(user)]


# --- auth -----------------------------------------------------------------------------------


@router.post("/auth/login")
async def login(body: Login, box: Box) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = db.execute("SELECT * FROM csms_user WHERE username = ?", (body.username,)).fetchone()
    if row is None or row["password"] != body.password:
        raise errors.ApiError(400, "BAD_REQUEST", "Invalid credentials")
    return _session(box, body.username, row["csp_id"])


@router.post("/auth/getaccesstoken")
async def refresh(body: Refresh, box: Box) -> dict[str, Any]:
    subject = auth.lookup(box.store, box.clock, "csms", "refresh", body.refreshToken)
    if subject != body.username:
        raise errors.unauthorized("Invalid refresh token")
    auth.revoke(box.store, body.refreshToken)
    with box.store.transaction() as db:
        row = db.execute("SELECT csp_id FROM csms_user WHERE username = ?", (subject,)).fetchone()
    return _session(box, subject, row["csp_id"])


def _session(box: Sandbox, username: str, csp_id: str) -> dict[str, Any]:
    ttl = float(box.store.get_meta("csms.tokenTtl", 3600))
    access = auth.issue(box.store, box.clock, "csms", "access", username, ttl)
    refresh_token = auth.issue(box.store, box.clock, "csms", "refresh", username, ttl * 24)
    expires = datetime.datetime.fromtimestamp(access.expires, datetime.UTC)
    return {
        "username": username,
        "accessToken": access.value,
        "refreshToken": refresh_token.value,
        "expirationTimeInUTC": expires.strftime("%Y-%m-%dT%H:%M:%S.%f") + "000",
        "roles": ["CSP_BUSINESS"],
        "tenantId": csp_id,
        "services": ["Teams"],
    }


# --- CSP ------------------------------------------------------------------------------------


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
        data = _csp(db, cspUserId)
        data.update(body.model_dump(exclude_none=True))
        db.execute("UPDATE csms_csp SET data = ? WHERE id = ?", (json.dumps(data), cspUserId))
    return data


@router.get("/csp/getcspconfig")
async def csp_config(
    box: Box, _: CspOfUser, phoneNumber: Annotated[str, Query(max_length=100)]
) -> dict[str, Any]:
    number = _e164(phoneNumber)
    with box.store.transaction() as db:
        row = db.execute(
            "SELECT e.csp_id FROM csms_mapping m JOIN csms_enterprise e ON e.id = m.enterprise_id"
            " WHERE m.phone = ? AND e.deleted = 0",
            (number,),
        ).fetchone()
        if row is None:
            raise errors.not_found(f"No mapping found for {number}")
        data = _csp(db, row["csp_id"])
    # The guide and the OpenAPI file show four strings; unset white-label values answer
    # the platform's own branding (inferred), never null.
    return {k: data.get(k) or default for k, default in BRANDING.items()}


BRANDING = {"productName": "ContextSMS", "favicon": "", "logo": "", "color": "#000000"}


def _csp(db: sqlite3.Connection, csp_id: str) -> dict[str, Any]:
    row = db.execute("SELECT data FROM csms_csp WHERE id = ?", (csp_id,)).fetchone()
    if row is None:
        raise errors.not_found(f"CSP {csp_id} not found")
    data: dict[str, Any] = json.loads(row["data"])
    return data


def _e164(value: str) -> str:
    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        parsed = None
    if (
        parsed is None
        or not value.startswith("+")
        or phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164) != value
    ):
        raise errors.ApiError(400, "BAD_REQUEST", "Invalid phone number format")
    return value


# --- enterprises ----------------------------------------------------------------------------


def _permitted(csp_id: str, user_csp: str) -> None:
    if csp_id != user_csp:
        raise errors.ApiError(403, "PERMISSION_DENIED", f"No permission for CSP {csp_id}")


@router.post("/enterprise/{cspId}", status_code=201)
async def new_enterprise(
    cspId: Text, body: NewEnterprise, box: Box, user_csp: CspOfUser
) -> dict[str, Any]:
    _permitted(cspId, user_csp)
    _e164(body.number)
    now = int(box.clock.now() * 1000)
    with box.store.transaction() as db:
        _csp(db, cspId)
        enterprise_id = f"E{box.store.next_id('csms.enterprise'):07d}"
        db.execute(
            "INSERT INTO csms_enterprise VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
            (enterprise_id, cspId, body.name, body.contact, body.number, body.email, now, now),
        )
        return _enterprise_json(_enterprise(db, enterprise_id, user_csp))


@router.get("/enterprise/getenterprise/{enterpriseId}")
async def get_enterprise(enterpriseId: Text, box: Box, user_csp: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        return _enterprise_json(_enterprise(db, enterpriseId, user_csp))


@router.get("/csp/enterprises/{cspId}")
async def csp_enterprises(cspId: Text, box: Box, user_csp: CspOfUser) -> list[dict[str, Any]]:
    _permitted(cspId, user_csp)
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
        _enterprise(db, enterpriseId, user_csp)
        db.execute(
            "UPDATE csms_enterprise SET deleted = 1, updated = ? WHERE id = ?", (now, enterpriseId)
        )
        db.execute("DELETE FROM csms_mapping WHERE enterprise_id = ?", (enterpriseId,))
    return PlainTextResponse(f"Deleted enterprise {enterpriseId}")


def _enterprise(db: sqlite3.Connection, enterprise_id: str, user_csp: str) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM csms_enterprise WHERE id = ? AND deleted = 0", (enterprise_id,)
    ).fetchone()
    if row is None:
        raise errors.not_found(f"Enterprise {enterprise_id} not found")
    _permitted(row["csp_id"], user_csp)
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


# --- mappings -------------------------------------------------------------------------------


@router.post("/mapping/add/{enterpriseId}")
async def add_mapping(
    enterpriseId: Text, body: NewMapping, box: Box, user_csp: CspOfUser
) -> dict[str, Any]:
    number = _e164(body.phoneNumber)
    if body.messagingAppType != "Teams":
        raise errors.bad_request("messagingAppType must be Teams")
    with box.store.transaction() as db:
        _enterprise(db, enterpriseId, user_csp)
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
        _enterprise(db, enterpriseId, user_csp)
        rows = db.execute(
            "SELECT * FROM csms_mapping WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
    return [{"enterpriseId": enterpriseId, "numberToMessageAppMap": _mapping_json(r)} for r in rows]


@router.get("/mapping/csp/{cspId}")
async def csp_mappings(cspId: Text, box: Box, user_csp: CspOfUser) -> list[dict[str, Any]]:
    _permitted(cspId, user_csp)
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
    body = await _json_object(request)
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
            _unmapped(db, _e164(change.phoneNumber))
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
    _permitted(row["csp_id"], user_csp)
    return row  # type: ignore[no-any-return]


def _mapping_json(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "numberToMessageAppMapId": row["id"],
        "phoneNumber": row["phone"],
        "messagingAppType": row["app_type"],
        "messagingAppId": row["app_id"],
        "name": row["name"],
    }


async def _json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise errors.bad_request("body is not valid JSON") from None
    if not isinstance(body, dict):
        raise errors.bad_request("body must be a JSON object")
    return body


# --- billing (Stripe) ----------------------------------------------------------------------


@router.post("/stripe/check-payment")
async def check_payment(body: Email, box: Box, _: CspOfUser) -> dict[str, Any]:
    with box.store.transaction() as db:
        row = db.execute("SELECT * FROM csms_payment WHERE email = ?", (body.email,)).fetchone()
    if row is None:
        return {"email": body.email, "paid": False, "subscriptionStatus": "none"}
    return {"email": body.email, "paid": bool(row["paid"]), "subscriptionStatus": row["status"]}


TOLERANCE_SECONDS = 300


@router.post("/stripe/webhook")
async def stripe_webhook(request: Request, box: Box) -> JSONResponse:
    raw = await request.body()
    secret = str(box.store.get_meta("csms.webhookSecret", ""))
    if not _signature_ok(request.headers.get("stripe-signature", ""), raw, secret, box.clock.now()):
        raise errors.ApiError(400, "BAD_REQUEST", "Invalid webhook payload")
    try:
        event = json.loads(raw)
        event_id = str(event["id"])
        kind = str(event["type"])
    except (ValueError, KeyError, TypeError):
        raise errors.ApiError(400, "BAD_REQUEST", "Invalid webhook payload") from None
    with box.store.transaction() as db:
        if db.execute("SELECT 1 FROM csms_webhook_event WHERE id = ?", (event_id,)).fetchone():
            return JSONResponse({"status": "received", "processed": False})
        db.execute("INSERT INTO csms_webhook_event VALUES (?)", (event_id,))
        if kind.startswith("customer.subscription."):
            _subscription(db, kind, event)
    return JSONResponse({"status": "received", "processed": True})


def _signature_ok(header: str, raw: bytes, secret: str, now: float) -> bool:
    """Stripe's scheme: t=<unix>,v1=<hex>...; HMAC-SHA256 over '<t>.' + body; 300 s tolerance."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    signatures = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not signatures or not stamps[0].strip().isdigit():
        return False
    stamp = int(stamps[0])
    if now - stamp > TOLERANCE_SECONDS:
        return False
    payload = f"{stamp}.".encode() + raw
    expected = hmac.new(secret.encode("utf-8"), payload, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, s) for s in signatures)


def _subscription(db: sqlite3.Connection, kind: str, event: dict[str, Any]) -> None:
    obj = (event.get("data") or {}).get("object") or {}
    email = obj.get("customer_email") or (obj.get("metadata") or {}).get("email")
    if not isinstance(email, str):
        return
    status = "canceled" if kind.endswith(".deleted") else str(obj.get("status", "active"))
    paid = status in ("active", "trialing")
    db.execute("INSERT OR REPLACE INTO csms_payment VALUES (?, ?, ?)", (email, int(paid), status))
