"""The Connectel SMS gateway (shared/api/connectel.md), under /connectel/api/v2/<action>/.

Messages start ENROUTE (single) or QUEUE (bulk) and become final after the configured
delay: DELIVRD when the sandbox routes the number (an assigned SMS DID or a mapped
number; the message lands in that assignee's inbox), UNDELIV when nobody does, REJECTD or
EXPIRED when the recipient matches a configured pattern. DLR callbacks are posted to the
token's callback URL.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import fnmatch
import hashlib
import json
import secrets
import sqlite3
import string
import urllib.parse
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from reconciler.sandbox import errors, forms, segments
from reconciler.sandbox.context import Sandbox

router = APIRouter(prefix="/connectel/api/v2", tags=["connectel"])
# The send answers' href points one level up, as the seed shows (/api/status/, no v2).
status_router = APIRouter(prefix="/connectel/api", tags=["connectel"])

MAX_MESSAGE = 1600
FINAL = {1: "DELIVRD", 2: "REJECTD", 5: "UNDELIV", 8: "EXPIRED", 9: "UNKNOWN"}


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


def _token(box: Sandbox, value: Any) -> str:
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
    token = _token(box, fields.get("authorization"))
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
    _schedule(box, due - now)
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


def _schedule(box: Sandbox, delay: float) -> None:
    """Finalize now when there is no delay; else later, so callbacks fire on their own."""
    if delay <= 0:
        posts = finalize_due(box)
        if posts:
            _spawn(box, _post_callbacks(posts))
        return
    _spawn(box, _finalize_later(box, delay))


def _spawn(box: Sandbox, coroutine: Any) -> None:
    task = asyncio.get_running_loop().create_task(coroutine)
    box.background.add(task)
    task.add_done_callback(box.background.discard)


async def _finalize_later(box: Sandbox, delay: float) -> None:
    await box.clock.sleep(delay)
    await _post_callbacks(finalize_due(box))


async def _post_callbacks(posts: list[tuple[str, dict[str, Any]]]) -> None:
    async with httpx.AsyncClient(timeout=5) as client:
        for url, payload in posts:
            # A receiver that is down misses its DLR, as with the real gateway.
            with contextlib.suppress(httpx.HTTPError):
                await client.post(url, json=payload)


def finalize_due(box: Sandbox) -> list[tuple[str, dict[str, Any]]]:
    """Give every message whose time has come its final status; return the DLRs to post."""
    now = box.clock.now()
    settings = box.store.get_meta("cnt.settings", {})
    posts = []
    with box.store.transaction() as db:
        due = db.execute(
            "SELECT m.*, t.callback_url FROM cnt_message m"
            " LEFT JOIN cnt_token t ON t.token = m.token WHERE m.final = 0 AND m.due <= ?",
            (now,),
        ).fetchall()
        for row in due:
            status = _deliver(db, row, settings, now)
            db.execute(
                "UPDATE cnt_message SET status_int = ?, status_str = ?, final = 1, done_at = ?"
                " WHERE request_id = ?",
                (status, FINAL[status], now, row["request_id"]),
            )
            if row["callback_url"]:
                posts.append(
                    (
                        row["callback_url"],
                        {
                            "action": "dlr",
                            "requestid": row["request_id"],
                            "tokenid": hashlib.sha256(row["token"].encode()).hexdigest()[:12],
                            "statusInt": status,
                            "statusStr": FINAL[status],
                            "sender": row["sender"],
                            "recipient": row["recipient"],
                        },
                    )
                )
    return posts


def _deliver(db: sqlite3.Connection, row: sqlite3.Row, settings: dict[str, Any], now: float) -> int:
    recipient = row["recipient"]
    if any(fnmatch.fnmatchcase(recipient, p) for p in settings.get("rejectRecipients", [])):
        return 2
    if any(fnmatch.fnmatchcase(recipient, p) for p in settings.get("expireRecipients", [])):
        return 8
    number = "+" + recipient
    routes = routes_of(db, number)
    if not routes:
        return 5
    db.execute(
        "INSERT INTO inbox (number, request_id, sender, message, delivered_to, at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (number, row["request_id"], row["sender"], row["message"], json.dumps(routes), now),
    )
    return 1


def routes_of(db: sqlite3.Connection, number: str) -> list[dict[str, Any]]:
    """Where the sandbox delivers a text to `number`: its SMS assignee and its mapping."""
    routes: list[dict[str, Any]] = []
    row = db.execute(
        "SELECT n.enterprise_id, n.assignee_type, n.assignee_id, g.name AS group_name"
        " FROM c2t_number n LEFT JOIN c2t_group g"
        " ON n.assignee_type = 'SMS_GROUP' AND g.id = CAST(n.assignee_id AS INTEGER)"
        " WHERE n.e164 = ? AND n.sms = 1 AND n.carrier IS NOT NULL"
        " AND n.assignee_type IN ('USER', 'SMS_GROUP') AND n.services = '[\"SMS\"]'",
        (number,),
    ).fetchone()
    if row is not None:
        route = {
            "type": row["assignee_type"],
            "id": row["assignee_id"],
            "enterpriseId": row["enterprise_id"],
        }
        if row["group_name"] is not None:
            route["name"] = row["group_name"]
        routes.append(route)
    mapping = db.execute(
        "SELECT m.* FROM csms_mapping m JOIN csms_enterprise e ON e.id = m.enterprise_id"
        " WHERE m.phone = ? AND e.deleted = 0",
        (number,),
    ).fetchone()
    if mapping is not None:
        routes.append(
            {
                "type": "TEAMS_APP",
                "messagingAppId": mapping["app_id"],
                "name": mapping["name"],
                "enterpriseId": mapping["enterprise_id"],
            }
        )
    return routes


@router.get("/delivery/")
async def delivery(request: Request) -> JSONResponse:
    return _report(request, request.query_params.get("requestid"))


@router.get("/status/", name="status")
@status_router.get("/status/", name="seed_status")
async def status(request: Request) -> JSONResponse:
    """The older status route the send answers link to: `message=` or `bulkid=`."""
    params = request.query_params
    return _report(request, params.get("message") or params.get("bulkid"))


def _report(request: Request, wanted: str | None) -> JSONResponse:
    box: Sandbox = request.app.state.sandbox
    token = _token(box, request.query_params.get("authorization"))
    finalize_due(box)
    with box.store.transaction() as db:
        rows = db.execute(
            "SELECT * FROM cnt_message WHERE token = ? AND (request_id = ? OR bulk_id = ?)"
            " ORDER BY rowid",
            (token, wanted, wanted),
        ).fetchall()
    if not rows:
        raise errors.connectel(404, f"unknown request id {wanted!r}")
    if rows[0]["request_id"] == wanted:
        return JSONResponse({"action": "send", **_entry(rows[0]), "sender": rows[0]["sender"]})
    return JSONResponse(
        {
            "action": "send",
            "bulkid": wanted,
            "message": "",
            "recipient": [_entry(r) for r in rows],
            "sender": rows[0]["sender"],
        }
    )


def _entry(row: sqlite3.Row) -> dict[str, Any]:
    when = row["done_at"] or row["created"]
    return {
        "date": datetime.datetime.fromtimestamp(when, datetime.UTC).strftime("%Y-%m-%d %H:%M:%S"),
        "message": "",
        "recipient": row["recipient"],
        "requestid": row["request_id"],
        "statusDesc": "",
        "statusInt": row["status_int"],
        "statusStr": row["status_str"],
        "url": "",
    }
