"""Read everything a reseller and a CSP hold, not only what manifests name (for export)."""

from __future__ import annotations

import asyncio
from typing import Any

from reconciler.model import kinds
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms import reader as csms_reader
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
    """Every live enterprise of the CSP with its mappings."""
    rows = [r for r in await csms_reader.enterprises(client, csp) if not r.get("deleted")]
    items = await asyncio.gather(
        *(client.op("listMappings", enterpriseId=r["enterpriseId"]) for r in rows)
    )
    return [
        (csms_reader.section_of(csp, row), csms_reader.mappings_of(mapping_items)[0])
        for row, mapping_items in zip(rows, items, strict=True)
    ]
