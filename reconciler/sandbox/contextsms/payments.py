"""ContextSMS payment: check-payment of a contact's email, and Stripe's signed webhook
that changes a subscription."""

from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from reconciler.sandbox import errors
from reconciler.sandbox.contextsms.common import Body, Box, CspOfUser, Text

router = APIRouter()


class Email(Body):
    email: Text


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
