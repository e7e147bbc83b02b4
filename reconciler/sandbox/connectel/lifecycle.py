"""What happens to a message after it is sent: delivered (or not) to where the
platforms route its number, at the time its DLR is due, and the DLR callbacks posted."""

from __future__ import annotations

import asyncio
import contextlib
import fnmatch
import hashlib
import json
import sqlite3
from typing import Any

import httpx

from reconciler.sandbox.context import Sandbox

FINAL = {1: "DELIVRD", 2: "REJECTD", 5: "UNDELIV", 8: "EXPIRED", 9: "UNKNOWN"}


def schedule(box: Sandbox, delay: float) -> None:
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
