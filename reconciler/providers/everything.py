"""Read everything a reseller and a CSP hold, not only what manifests name (for export)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from reconciler.model import kinds
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.contextsms import reader as csms_reader
from reconciler.providers.session import Session
from reconciler.wire import connecttoteams, contextsms

CsmsFound = tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]]


async def connecttoteams_estate(
    session: Session, keep: Callable[[dict[str, Any]], bool] | None = None
) -> tuple[int, list[connecttoteams.Found]]:
    """The reseller id and every enterprise of the reseller for which `keep(row)` holds."""
    client = session.connecttoteams
    reseller = await client.reseller_id()
    listing = await client.op("listEnterprises", resellerId=reseller)
    rows = [r for r in connecttoteams.enterprise_rows(listing) if keep is None or keep(r)]
    found = await asyncio.gather(*(c2t_reader.enterprise(client, row) for row in rows))
    return reseller, list(found)


async def contextsms_estate(session: Session, csp: str) -> list[CsmsFound]:
    """Every live enterprise of the CSP with its mappings."""
    client = session.contextsms
    rows = await csms_reader.enterprises(client, csp)
    items = await asyncio.gather(
        *(client.op("listMappings", enterpriseId=r["enterpriseId"]) for r in rows)
    )
    return [
        (contextsms.section_of(csp, row), contextsms.mappings_of(mapping_items)[0])
        for row, mapping_items in zip(rows, items, strict=True)
    ]
