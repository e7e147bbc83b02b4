"""Connectel's delivery reports: by request id or bulk id, as /delivery/ and /status/."""

from __future__ import annotations

import datetime
import sqlite3
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from reconciler.sandbox import errors
from reconciler.sandbox.connectel.lifecycle import finalize_due
from reconciler.sandbox.connectel.messages import check_token
from reconciler.sandbox.context import Sandbox

router = APIRouter()
status_router = APIRouter()


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
    token = check_token(box, request.query_params.get("authorization"))
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
