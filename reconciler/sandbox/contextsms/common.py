"""What every ContextSMS route shares: body and text types, the CSP of the bearer
token's user, the permission check, E.164 numbers, a JSON object body."""

from __future__ import annotations

import json
from typing import Annotated, Any

import phonenumbers
from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, EmailStr, Field

from reconciler.sandbox import auth, errors
from reconciler.sandbox.context import Sandbox, sandbox

Box = Annotated[Sandbox, Depends(sandbox)]


Text = Annotated[str, Field(max_length=500)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


Email_ = Annotated[EmailStr, Field(max_length=320)]  # the OpenAPI file: format: email


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


def e164(value: str) -> str:
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


def check_permitted(csp_id: str, user_csp: str) -> None:
    if csp_id != user_csp:
        raise errors.ApiError(403, "PERMISSION_DENIED", f"No permission for CSP {csp_id}")


async def json_object(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        raise errors.bad_request("body is not valid JSON") from None
    if not isinstance(body, dict):
        raise errors.bad_request("body must be a JSON object")
    return body
