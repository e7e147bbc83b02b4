"""The phone number inventory: assignment rules (inventory, SMS capability, carrier
profile, one assignee per number) and the Phone Numbers page's listing."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from reconciler.sandbox import errors
from reconciler.sandbox.connecttoteams.common import (
    SMS_HELD,
    Box,
    PathId,
    Reseller,
    find_enterprise,
    unsync,
)

router = APIRouter()


def did_ids(values: list[str | int]) -> list[int]:
    ids = []
    for value in values:
        text = str(value)
        if not text.isascii() or not text.isdigit() or len(text) > 18:
            raise errors.bad_request(f"smsDID: {value!r} is not a DID id (a string of digits)")
        ids.append(int(text))
    if not ids:
        raise errors.bad_request("smsDID must list at least one DID id")
    return list(dict.fromkeys(ids))


def assign(
    db: sqlite3.Connection,
    enterprise_id: int,
    ids: list[int],
    holder: tuple[str, str, str],
    assigned: bool,
) -> None:
    """Assign (or release) DIDs to a holder, all or nothing, checking every rule first."""
    kind, holder_id, label = holder
    rows = []
    for did_id in ids:
        row = db.execute(
            "SELECT * FROM c2t_number WHERE id = ? AND enterprise_id = ?", (did_id, enterprise_id)
        ).fetchone()
        if row is None:
            raise errors.not_found(
                f"DID {did_id} is not in the inventory of enterprise {enterprise_id}"
            )
        mine = (
            row["assignee_type"] == kind
            and row["assignee_id"] == holder_id
            and json.loads(row["services"]) == ["SMS"]
        )
        if row["assignee_type"] is not None and not mine:
            raise errors.conflict(
                "DID_ALREADY_ASSIGNED",
                f"DID {did_id} (+{_e164(row)}) is assigned to {_describe(db, row)}, not {label}",
            )
        if assigned and not row["sms"]:
            raise errors.conflict(
                "DID_NOT_SMS_CAPABLE", f"DID {did_id} (+{_e164(row)}) has no SMS capability"
            )
        if assigned and row["carrier"] is None:
            raise errors.conflict(
                "DID_NO_CARRIER_PROFILE", f"DID {did_id} (+{_e164(row)}) has no SMS carrier profile"
            )
        if mine != assigned:
            rows.append(row)
    for row in rows:
        db.execute(
            "UPDATE c2t_number SET assignee_type = ?, assignee_id = ?, services = ? WHERE id = ?",
            (
                kind if assigned else None,
                holder_id if assigned else None,
                '["SMS"]' if assigned else "[]",
                row["id"],
            ),
        )
    if rows:
        unsync(db, enterprise_id)


def _e164(row: sqlite3.Row) -> str:
    return str(row["e164"]).lstrip("+")


def _describe(db: sqlite3.Connection, row: sqlite3.Row) -> str:
    if row["assignee_type"] == "SMS_GROUP":
        group = db.execute(
            "SELECT name FROM c2t_group WHERE id = ?", (int(row["assignee_id"]),)
        ).fetchone()
        name = group["name"] if group else "?"
        return f"SMS group {name!r} ({row['assignee_id']})"
    if row["assignee_type"] == "USER":
        detail = (
            ""
            if json.loads(row["services"]) == ["SMS"]
            else f" ({', '.join(json.loads(row['services']))})"
        )
        return f"user {row['assignee_id']}{detail}"
    return f"{row['assignee_type']} {row['assignee_id']}"


def dids_by_holder(
    db: sqlite3.Connection, enterprise_id: int, kind: str
) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for row in db.execute(
        "SELECT id, did, assignee_id FROM c2t_number WHERE enterprise_id = ? AND assignee_type = ?"
        f" AND {SMS_HELD}"
        " ORDER BY id",
        (enterprise_id, kind),
    ):
        out.setdefault(row["assignee_id"], []).append({"id": row["id"], "did": row["did"]})
    return out


@router.post("/enterprise/getPhoneNumbers/{enterpriseId}")
async def phone_numbers(enterpriseId: PathId, box: Box, reseller_id: Reseller) -> JSONResponse:
    with box.store.transaction() as db:
        find_enterprise(db, enterpriseId, reseller_id)
        rows = db.execute(
            "SELECT * FROM c2t_number WHERE enterprise_id = ? ORDER BY id", (enterpriseId,)
        ).fetchall()
    return JSONResponse([_number_json(r) for r in rows])


def _number_json(row: sqlite3.Row) -> dict[str, Any]:
    kind = row["assignee_type"]
    services = json.loads(row["services"])
    return {
        "id": row["id"],
        "countryCode": row["country_code"],
        "phoneNumber": row["national"],
        "voice": bool(row["voice"]),
        "sms": bool(row["sms"]),
        "fax": bool(row["fax"]),
        "voiceRouteType": row["route"],
        "smsCarrierProfile": row["carrier"],
        "assignedTo": None if kind is None else {"type": kind, "id": row["assignee_id"]},
        "services": services,
    }
