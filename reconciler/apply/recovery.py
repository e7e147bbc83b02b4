"""Creates whose outcome is unknown (the answer was lost after the server acted) are
looked up before any retry, so an apply never makes a duplicate.

Also: a delete that finds nothing was already done.
"""

from __future__ import annotations

from typing import Any

from reconciler import errors
from reconciler.plan.model import Call
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.http import VendorClient


def recoverable(call: Call) -> bool:
    """Calls that are not idempotent on their own: creates with server-assigned ids."""
    if call.api == "connecttoteams":
        return call.operation == "newEnterprise" or (
            call.operation == "group" and call.body.get("groupId") == -1
        )
    return call.operation in ("newEnterprise", "addMapping")


async def lookup(client: VendorClient, call: Call, path: str, body: Any) -> Any:
    """The answer the lost create would have given, if the object exists; else None."""
    if isinstance(client, ConnecttoTeamsClient):
        if call.operation == "newEnterprise":
            listing = await client.op("listEnterprises", resellerId=body["resellerId"])
            for row in listing.get("data", []):
                if row.get("enterpriseName") == body["enterpriseName"]:
                    return row
            return None
        groups = await client.op("listGroups", enterpriseId=body["enterpriseId"])
        return next((g for g in groups or [] if g.get("groupName") == body["groupName"]), None)
    assert isinstance(client, ContextSmsClient)
    if call.operation == "newEnterprise":
        try:
            rows = await client.op("listEnterprises", cspId=call.pathParams["cspId"])
        except errors.NotFound:
            return None
        return next((r for r in rows or [] if r.get("name") == body["name"]), None)
    enterprise_id = path.rsplit("/", 1)[1]
    items = await client.op("listMappings", enterpriseId=enterprise_id)
    for item in items or []:
        mapping = item.get("numberToMessageAppMap") or {}
        if mapping.get("phoneNumber") == body["phoneNumber"]:
            return mapping
    return None


def already_done(call: Call, error: errors.ApiError) -> bool:
    """A delete retried after a lost answer finds nothing: the first attempt did it."""
    return call.method == "DELETE" and isinstance(error, errors.NotFound)
