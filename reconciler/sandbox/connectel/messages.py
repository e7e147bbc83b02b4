"""Connectel's send: the form and JSON fields (the token in `authorization`), sender,
recipients and message rules, one message or a bulk, each stored with its request id."""

from __future__ import annotations

import json
import secrets
import sqlite3
import string
import urllib.parse
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from reconciler.sandbox import errors, forms, segments
from reconciler.sandbox.connectel.lifecycle import schedule
from reconciler.sandbox.context import Sandbox

router = APIRouter()


MAX_MESSAGE = 1600


async def _fields(request: Request) -> dict[str, Any]:
    content_type = request.headers.get("content-type", "")
    if "json" in content_type:
        try:
            data = json.loads(await request.body() or b"{}")
        except ValueError:
            raise errors.connectel(400, "body is not valid JSON", 2, "REJECTD") from None
        if not isinstance(data, dict):
            raise errors.connectel(400, "body must be a JSON object", 2, "REJECTD")
        return data
    return dict(await forms.form(request))


def check_token(box: Sandbox, value: Any) -> str:
    with box.store.transaction() as db:
        row = db.execute("SELECT token FROM cnt_token WHERE token = ?", (str(value),)).fetchone()
    if row is None:
        raise errors.connectel(401, "Invalid token")
    return str(row["token"])


def _sender(value: Any) -> str:
    text = str(value or "")
    if text.isascii() and text.isdigit():
        if len(text) > 20:
            raise errors.connectel(400, "numeric sender is longer than 20 digits", 2, "REJECTD")
        return text
    if not text or not all(c.isascii() and (c.isalnum() or c == " ") for c in text):
        raise errors.connectel(
            400, "sender must be alphanumeric (at most 11) or numeric (at most 20)", 2, "REJECTD"
        )
    if len(text) > 11:
        raise errors.connectel(
            400, "alphanumeric sender is longer than 11 characters", 2, "REJECTD"
        )
    return text


def _recipient(value: Any) -> str:
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or not 6 <= len(text) <= 15:
        raise errors.connectel(
            400, f"recipient {value!r} is not an international number (digits, no +)", 2, "REJECTD"
        )
    return text


def _message(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise errors.connectel(400, "message is required", 2, "REJECTD")
    if len(value) > MAX_MESSAGE:
        raise errors.connectel(
            400, f"message is longer than {MAX_MESSAGE} characters", 2, "REJECTD"
        )
    return value


def _id(prefix: str, box: Sandbox) -> str:
    """The seed's id forms: a request id is 16 characters (R + 15), a bulk id B + 8;
    then a dot and 17 digits (the send time in 1e-7 s, as RXV66UX9433XJ400.15986176764672468)."""
    alphabet = string.ascii_uppercase + string.digits
    head = "".join(secrets.choice(alphabet) for _ in range(15 if prefix == "R" else 8))
    return f"{prefix}{head}.{int(box.clock.now() * 1e7) % 10**17:017d}"


def _href(request: Request, token: str, wanted: str, param: str = "message") -> str:
    """The seed's form: <root>/api/status/?authorization=<the token>&message=<requestid>
    (bulk: &bulkid=). A faithful gateway echoes the token here; clients must not keep it."""
    query = urllib.parse.urlencode({"authorization": token, param: wanted})
    return f"{request.url_for('seed_status')}?{query}"


@router.post("/send/")
async def send(request: Request) -> JSONResponse:
    box: Sandbox = request.app.state.sandbox
    fields = await _fields(request)
    token = check_token(box, fields.get("authorization"))
    sender = _sender(fields.get("sender"))
    message = _message(fields.get("message"))
    bulk = fields.get("bulk") in (True, "true", "1", 1)
    settings = box.store.get_meta("cnt.settings", {})
    now = box.clock.now()
    due = now + float(settings.get("deliveryDelaySeconds", 0))
    encoding, count = segments.encoding(message), segments.count(message)
    if not bulk:
        recipient = _recipient(fields.get("recipient"))
        request_id = _id("R", box)
        with box.store.transaction() as db:
            _insert(
                db,
                request_id,
                None,
                None,
                token,
                sender,
                recipient,
                message,
                encoding,
                count,
                now,
                due,
            )
        answer = {
            "href": _href(request, token, request_id),
            "method": "GET",
            "recipient": recipient,
            "requestid": request_id,
            "sender": sender,
            "statusInt": 0,
            "statusStr": "ENROUTE",
        }
    else:
        items = _bulk_recipients(fields.get("recipient"))
        bulk_id = _id("B", box)
        listed = []
        with box.store.transaction() as db:
            for key, number in items:
                request_id = _id("R", box)
                _insert(
                    db,
                    request_id,
                    bulk_id,
                    key,
                    token,
                    sender,
                    number,
                    message,
                    encoding,
                    count,
                    now,
                    due,
                )
                listed.append({"key": key, "recipient": number, "requestid": request_id})
        answer = {
            "bulkid": bulk_id,
            "href": _href(request, token, bulk_id, "bulkid"),
            "method": "GET",
            "recipient": listed,
            "sender": sender,
            "statusInt": 0,
            "statusStr": "QUEUED",
        }
    schedule(box, due - now)
    return JSONResponse(answer)


def _bulk_recipients(value: Any) -> list[tuple[str, str]]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = None
    if not isinstance(value, list) or not value or len(value) > 10000:
        raise errors.connectel(
            400, "bulk recipient must be a list of {key: number} objects", 2, "REJECTD"
        )
    out = []
    for item in value:
        if not isinstance(item, dict) or len(item) != 1:
            raise errors.connectel(
                400, "each bulk recipient is one {key: number} object", 2, "REJECTD"
            )
        [(key, number)] = item.items()
        out.append((str(key), _recipient(number)))
    return out


def _insert(db: sqlite3.Connection, *values: Any) -> None:
    db.execute(
        "INSERT INTO cnt_message (request_id, bulk_id, key, token, sender, recipient, message,"
        " encoding, segments, created, due, status_int, status_str, final)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0)",
        (*values, "QUEUE" if values[1] else "ENROUTE"),
    )
