"""Read ContextSMS: per CSP, its enterprise list and its CSP-wide mapping list (two reads,
however many enterprises), and the contact's payment status only where the engine asks
for it. Parsing is wire's; a CSP's failed read is the failure of each of its
enterprises, never of the others."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from typing import Any

from reconciler import errors
from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.isolation import all_of, isolated
from reconciler.wire import contextsms as wire
from reconciler.wire.matching import Rows

Listing = tuple[Rows, dict[str, list[dict[str, Any]]]]


async def read(client: ContextSmsClient, wanted: Iterable[state.Enterprise]) -> live.VendorRead:
    """Live ContextSMS state for each enterprise with a contextsms section."""
    result = live.VendorRead()
    wanted = [e for e in wanted if e.contextsms is not None]
    csps = sorted({e.contextsms.cspId for e in wanted if e.contextsms})
    listings = await asyncio.gather(*(_csp(client, csp) for csp in csps))
    by_csp = dict(zip(csps, listings, strict=True))
    for enterprise in wanted:
        section = enterprise.contextsms
        assert section is not None
        outcome = await isolated(enterprise.name, _one(section, by_csp[section.cspId]))
        if isinstance(outcome, Problem):
            result.failed[enterprise.name] = outcome
        elif (part := outcome.part()) is not None:
            result.found[enterprise.name] = part
    return result


async def _csp(client: ContextSmsClient, csp: str) -> Listing | errors.ApiError:
    """The CSP's enterprises and its mappings by enterprise id, or why they could not be read."""
    try:
        answers = await all_of(
            {
                "enterprises": client.op("listEnterprises", cspId=csp),
                "mappings": client.op("cspMappings", cspId=csp),
            }
        )
    except errors.ApiError as exc:
        return exc
    rows = wire.listing(wire.enterprise_rows(answers["enterprises"]))
    return rows, wire.mappings_by_enterprise(answers["mappings"])


async def _one(
    section: kinds.ContextSmsEnterprise, listing: Listing | errors.ApiError
) -> wire.Found:
    if isinstance(listing, errors.ApiError):  # the CSP's reads failed: so do its enterprises
        raise listing
    rows, mappings = listing
    row = wire.match(rows, section, mappings)
    if row is None:
        return wire.enterprise(section.cspId, None, None)
    items = mappings.get(str(row["enterpriseId"]), [])
    return wire.enterprise(section.cspId, row, items, wire.empty_twins(rows, row))


async def enterprises(client: ContextSmsClient, csp: str) -> list[dict[str, Any]]:
    """The CSP's live enterprises."""
    return wire.enterprise_rows(await client.op("listEnterprises", cspId=csp))


async def payments(
    client: ContextSmsClient, emails: Mapping[str, str]
) -> dict[str, live.Payment | Problem]:
    """check-payment for each enterprise's contact email (by enterprise name)."""

    async def one(email: str) -> live.Payment:
        answer = await client.op("checkPayment", body=wire.check_payment(email))
        return wire.payment(email, answer)

    names = sorted(emails)
    outcomes = await asyncio.gather(*(isolated(name, one(emails[name])) for name in names))
    return dict(zip(names, outcomes, strict=True))
