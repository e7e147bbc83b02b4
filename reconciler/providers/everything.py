"""Read everything a reseller and a CSP hold, not only what manifests name (for export)."""

from __future__ import annotations

import asyncio
from typing import Any

from reconciler import errors
from reconciler.model import kinds
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms.client import ContextSmsClient

C2TFound = c2t_reader.Found
CsmsFound = tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]]


async def connecttoteams(
    client: ConnecttoTeamsClient, keep: Any = None
) -> tuple[int, list[C2TFound]]:
    """The reseller id and every enterprise of the reseller for which `keep(row)` holds."""
    reseller = await client.reseller_id()
    listing = await client.op("listEnterprises", resellerId=reseller)
    rows = [r for r in listing.get("data", []) if keep is None or keep(r)]
    found = await asyncio.gather(*(c2t_reader.enterprise(client, row) for row in rows))
    return reseller, list(found)


async def contextsms(client: ContextSmsClient, csp: str) -> list[CsmsFound]:
    try:
        rows = [
            r for r in await client.op("listEnterprises", cspId=csp) or [] if not r.get("deleted")
        ]
    except errors.NotFound:
        return []
    items = await asyncio.gather(
        *(client.op("listMappings", enterpriseId=r["enterpriseId"]) for r in rows)
    )
    out = []
    for row, mapping_items in zip(rows, items, strict=True):
        mappings = {}
        for item in mapping_items or []:
            m = item.get("numberToMessageAppMap") or {}
            mappings[str(m["phoneNumber"])] = kinds.Mapping.model_construct(
                phoneNumber=str(m["phoneNumber"]),
                messagingAppType=m.get("messagingAppType") or "Teams",
                messagingAppId=str(m.get("messagingAppId") or ""),
                name=str(m.get("name") or ""),
            )
        section = kinds.ContextSmsEnterprise.model_construct(
            cspId=csp,
            name=str(row.get("name")),
            enterpriseId=str(row["enterpriseId"]),
            contact=row.get("contact"),
            number=row.get("number"),
            email=row.get("email"),
        )
        out.append((section, mappings))
    return out
