"""What every ConnecttoTeams route shares: body and id types, the reseller of the
bearer token, the enterprise in the reseller's scope, and appSynced reset on change."""

from __future__ import annotations

import json
import sqlite3
from typing import Annotated

from fastapi import Depends, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from reconciler.sandbox import auth, errors
from reconciler.sandbox.context import Sandbox, sandbox

Id = Annotated[int, Field(ge=-(2**62), le=2**62)]


PathId = Annotated[int, Path(ge=0, le=2**62)]


SERVICES = ("PBX", "SMS", "CALLAPP")


SMS_HELD = "services = '[\"SMS\"]'"  # an SMS assignment, not a user's PBX or CallApp number


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


# Field limits (inferred: the vendor documents none): names 200, e-mail addresses 320.
Name = Annotated[str, Field(max_length=200)]


Email = Annotated[str, Field(max_length=320)]


Tag = Annotated[str, Field(max_length=256)]


async def reseller(request: Request, box: Annotated[Sandbox, Depends(sandbox)]) -> int:
    """The reseller id of the bearer token's user (401 without a valid token)."""
    watermark = request.scope.get("state", {}).get("token_watermark", 0)
    username = auth.check(
        box.store, box.clock, "c2t", request.headers.get("authorization"), watermark
    )
    users = box.store.get_meta("c2t.users", {})
    return int(users[username][1])


Reseller = Annotated[int, Depends(reseller)]


Box = Annotated[Sandbox, Depends(sandbox)]


def check_reseller(given: int, actual: int) -> None:
    if given != actual:
        raise errors.bad_request(f"resellerId {given} is not the authenticated reseller ({actual})")


def find_enterprise(db: sqlite3.Connection, enterprise_id: int, reseller_id: int) -> sqlite3.Row:
    row = db.execute(
        "SELECT * FROM c2t_enterprise WHERE id = ? AND reseller_id = ?",
        (enterprise_id, reseller_id),
    ).fetchone()
    if row is None:
        raise errors.not_found(f"enterprise {enterprise_id} not found")
    return row  # type: ignore[no-any-return]


def find_sms_enterprise(
    db: sqlite3.Connection, enterprise_id: int, reseller_id: int
) -> sqlite3.Row:
    row = find_enterprise(db, enterprise_id, reseller_id)
    if "SMS" not in json.loads(row["services"]):
        raise errors.conflict(
            "SERVICE_NOT_ENABLED",
            f"SMS is not in the services of enterprise {enterprise_id}: add it with editEnterprise",
        )
    return row


def check_in_scope(db: sqlite3.Connection, row: sqlite3.Row, user: str) -> None:
    if not db.execute(
        "SELECT 1 FROM c2t_teams_user WHERE enterprise_id = ? AND user_id = ?", (row["id"], user)
    ).fetchone():
        raise errors.ApiError(
            404,
            "USER_NOT_IN_SCOPE",
            f"{user} is not a Teams user in scope of enterprise {row['id']}",
        )


def unsync(db: sqlite3.Connection, enterprise_id: int) -> None:
    db.execute("UPDATE c2t_enterprise SET app_synced = 0 WHERE id = ?", (enterprise_id,))
