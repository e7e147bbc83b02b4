"""ContextSMS sessions: login and refresh (access and refresh tokens with their UTC
expiry)."""

from __future__ import annotations

import datetime
from typing import Any

from fastapi import APIRouter

from reconciler.sandbox import auth, errors
from reconciler.sandbox.context import Sandbox
from reconciler.sandbox.contextsms.common import Body, Box, Text

router = APIRouter()


class Login(Body):
    username: Text
    password: Text


class Refresh(Body):
    username: Text
    refreshToken: Text


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
