"""Admin routes under /_sandbox/ (not part of any vendor API): request log, faults,
state dump, inboxes, reset and reseed."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from reconciler.sandbox import auth, connectel, errors
from reconciler.sandbox import seed as seedmod
from reconciler.sandbox.context import Sandbox, sandbox
from reconciler.sandbox.faults import FaultRule

router = APIRouter(prefix="/_sandbox", tags=["sandbox admin"])


class ConnectelSettings(BaseModel):
    """PUT /_sandbox/connectel, strictly typed: `false` or "5" is no delay."""

    model_config = ConfigDict(extra="forbid", strict=True)

    deliveryDelaySeconds: Annotated[float, Field(ge=0, le=3600)] = 0
    rejectRecipients: list[str] = []
    expireRecipients: list[str] = []


Box = Annotated[Sandbox, Depends(sandbox)]


@router.get("/requests")
async def requests(box: Box) -> list[dict[str, Any]]:
    box.store.flush_log()
    with box.store.transaction() as db:
        rows = db.execute("SELECT * FROM request_log ORDER BY seq").fetchall()
    return [
        {
            "seq": r["seq"],
            "api": r["api"],
            "method": r["method"],
            "path": r["path"],
            "status": r["status"],
            "body": _body(r["body"]),
        }
        for r in rows
    ]


def _body(stored: str) -> Any:
    """A logged body; the log endpoint never fails on what a client sent."""
    try:
        return json.loads(stored)
    except (ValueError, RecursionError):
        return stored[:200]


@router.delete("/requests", status_code=204)
async def clear_requests(box: Box) -> Response:
    box.store.flush_log()
    with box.store.transaction() as db:
        db.execute("DELETE FROM request_log")
    return Response(status_code=204)


@router.put("/faults")
async def set_faults(rules: list[FaultRule], box: Box) -> list[FaultRule]:
    box.faults.set(rules, box.clock.now(), auth.watermark(box.store))
    return rules


@router.get("/faults")
async def get_faults(box: Box) -> list[FaultRule]:
    return [active.rule for active in box.faults.rules]


@router.get("/state")
async def state(box: Box) -> dict[str, Any]:
    connectel.finalize_due(box)
    return box.store.dump()


@router.get("/inbox/{number}")
async def inbox(number: str, box: Box) -> list[dict[str, Any]]:
    connectel.finalize_due(box)
    with box.store.transaction() as db:
        rows = db.execute("SELECT * FROM inbox WHERE number = ? ORDER BY seq", (number,)).fetchall()
    return [
        {
            "requestId": r["request_id"],
            "from": r["sender"],
            "to": r["number"],
            "message": r["message"],
            "deliveredTo": json.loads(r["delivered_to"]),
            "at": r["at"],
        }
        for r in rows
    ]


@router.post("/reset")
async def reset(box: Box) -> dict[str, str]:
    """Start over from the seed, with the fault rules (and draws) the sandbox was started with."""
    box.start_over(box.seed())
    return {"status": "reset"}


@router.post("/seed")
async def reseed(request: Request, box: Box) -> dict[str, str]:
    """Start over from the seed in the body (JSON, same shape as the YAML seed file)."""
    try:
        seed = seedmod.Seed.model_validate_json(await request.body())
    except ValueError as exc:
        raise errors.bad_request(f"invalid seed: {exc}") from None
    box.start_over(seed)
    return {"status": "seeded"}


@router.put("/connectel")
async def connectel_settings(settings: ConnectelSettings, box: Box) -> dict[str, Any]:
    """Delivery delay and REJECTD/EXPIRED recipient patterns (tokens are left alone)."""
    value = settings.model_dump()
    box.store.set_meta("cnt.settings", value)
    return value
