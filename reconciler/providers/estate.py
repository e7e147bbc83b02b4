"""Read everything a reseller and a CSP hold, not only what manifests name (for export)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from reconciler.model import kinds
from reconciler.model.problem import Problem
from reconciler.providers import vendors
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.contextsms import reader as csms_reader
from reconciler.providers.isolation import isolated
from reconciler.providers.session import Session
from reconciler.wire import connecttoteams, contextsms

CsmsFound = tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]]


async def connecttoteams_estate(
    session: Session, keep: Callable[[dict[str, Any]], bool] | None = None
) -> tuple[int, list[connecttoteams.Found], list[Problem]]:
    """The reseller id and every enterprise of the reseller for which `keep(row)` holds;
    an enterprise whose read fails is left out and named in the problems."""
    client = session.client(vendors.CONNECTTOTEAMS)
    reseller = await client.reseller_id()
    listing = await client.op("listEnterprises", resellerId=reseller)
    rows = [r for r in connecttoteams.enterprise_rows(listing) if keep is None or keep(r)]
    outcomes = await asyncio.gather(
        *(
            isolated(str(row.get("enterpriseName")), c2t_reader.enterprise(client, row))
            for row in rows
        )
    )
    found = [o for o in outcomes if not isinstance(o, Problem)]
    return reseller, found, [o for o in outcomes if isinstance(o, Problem)]


async def own_csp(session: Session) -> str:
    """The CSP whose email is the ContextSMS user's (the spec's `POST /csp/getcsp`)."""
    client = session.client(vendors.CONTEXTSMS)
    answer = await client.op("getCsp", body={"email": client.settings.username})
    return str(answer["cspUserId"])


async def contextsms_estate(session: Session, csp: str) -> list[CsmsFound]:
    """Every live enterprise of the CSP with its mappings (two reads)."""
    client = session.client(vendors.CONTEXTSMS)
    rows, items = await asyncio.gather(
        csms_reader.enterprises(client, csp), client.op("cspMappings", cspId=csp)
    )
    by_enterprise = contextsms.mappings_by_enterprise(items)
    return [
        (
            contextsms.section_of(csp, row),
            contextsms.mappings_of(by_enterprise.get(str(row["enterpriseId"]), []))[0],
        )
        for row in rows
    ]
