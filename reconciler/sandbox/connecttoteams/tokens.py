"""ConnecttoTeams authentication: the OAuth2 password and refresh grants (Basic client
credentials) and getAuthenticatedUser."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from fastapi import APIRouter, Request

from reconciler.sandbox import auth, errors, forms
from reconciler.sandbox.connecttoteams.common import Box, Reseller

router = APIRouter()


@router.post("/oauth/token")
async def token(request: Request, box: Box) -> dict[str, Any]:
    clients = box.store.get_meta("c2t.clients", {})
    client_id, secret = _basic(request.headers.get("authorization"))
    if clients.get(client_id) != secret:
        raise errors.ApiError(401, "UNAUTHORIZED", "invalid_client: bad client credentials")
    form = await forms.form(request)
    grant = form.get("grant_type")
    ttl = float(box.store.get_meta("c2t.tokenTtl", 3600))
    if grant == "password":
        users = box.store.get_meta("c2t.users", {})
        username, password = str(form.get("username", "")), str(form.get("password", ""))
        if username not in users or users[username][0] != password:
            raise errors.ApiError(401, "UNAUTHORIZED", "invalid_grant: bad username or password")
    elif grant == "refresh_token":
        old = str(form.get("refresh_token", ""))
        username = auth.lookup(box.store, box.clock, "c2t", "refresh", old)
        auth.revoke(box.store, old)
    else:
        raise errors.bad_request("grant_type must be 'password' or 'refresh_token'")
    access = auth.issue(box.store, box.clock, "c2t", "access", username, ttl)
    refresh = auth.issue(box.store, box.clock, "c2t", "refresh", username, ttl * 24)
    return {
        "access_token": access.value,
        "token_type": "bearer",
        "expires_in": int(ttl),
        "refresh_token": refresh.value,
    }


def _basic(header: str | None) -> tuple[str, str]:
    if not header or not header.startswith("Basic "):
        raise errors.ApiError(
            401, "UNAUTHORIZED", "invalid_client: Basic client credentials required"
        )
    try:
        client_id, _, secret = base64.b64decode(header[6:], validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise errors.ApiError(
            401, "UNAUTHORIZED", "invalid_client: malformed Basic header"
        ) from None
    return client_id, secret


@router.put("/reseller/getAuthenticatedUser")
async def authenticated_user(request: Request, box: Box, reseller_id: Reseller) -> dict[str, Any]:
    username = (await request.body()).decode("utf-8", "replace").strip().strip('"')
    users = box.store.get_meta("c2t.users", {})
    if username not in users:
        raise errors.not_found(f"user {username!r} not found")
    return {"username": username, "type": "RESELLER", "resellerId": users[username][1]}
