"""Read ContextSMS: one enterprise list per CSP, then per enterprise its mapping list and
the contact's payment status at once. Parsing is wire's; a failure is that enterprise's
(a CSP listing's failure, every enterprise's of that CSP)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from reconciler import errors
from reconciler.model import kinds, state
from reconciler.model.problem import Problem
from reconciler.providers.contextsms.client import ContextSmsClient
from reconciler.providers.isolation import all_of, isolated
from reconciler.wire import contextsms as wire


class Read:
    def __init__(self) -> None:
        self.found: dict[str, wire.Found] = {}
        self.failed: dict[str, Problem] = {}


async def read(client: ContextSmsClient, wanted: Iterable[state.Enterprise]) -> Read:
    result = Read()
    wanted = [e for e in wanted if e.contextsms is not None]
    csps = sorted({e.contextsms.cspId for e in wanted if e.contextsms})
    listings = await asyncio.gather(*(_listing(client, csp) for csp in csps))
    rows_by_csp = dict(zip(csps, listings, strict=True))
    outcomes = await asyncio.gather(
        *(
            isolated(e.name, _one(client, e.contextsms, rows_by_csp[e.contextsms.cspId]))
            for e in wanted
            if e.contextsms
        )
    )
    for enterprise, outcome in zip(wanted, outcomes, strict=True):
        if isinstance(outcome, Problem):
            result.failed[enterprise.name] = outcome
        else:
            result.found[enterprise.name] = outcome
    return result


async def _listing(client: ContextSmsClient, csp: str) -> list[dict[str, Any]] | errors.ApiError:
    try:
        return await enterprises(client, csp)
    except errors.ApiError as exc:
        return exc


async def enterprises(client: ContextSmsClient, csp: str) -> list[dict[str, Any]]:
    """The CSP's live enterprises."""
    return wire.enterprise_rows(await client.op("listEnterprises", cspId=csp))


async def _one(
    client: ContextSmsClient,
    section: kinds.ContextSmsEnterprise,
    rows: list[dict[str, Any]] | errors.ApiError,
) -> wire.Found:
    if isinstance(rows, errors.ApiError):
        raise rows  # the CSP's listing failed: every enterprise of it fails with it
    row = wire.match(rows, section)
    calls: dict[str, Any] = {}
    if section.email:
        calls["payment"] = client.op("checkPayment", body=wire.check_payment(section.email))
    if row is not None:
        calls["mappings"] = client.op("listMappings", enterpriseId=str(row["enterpriseId"]))
    answers = await all_of(calls)
    paid = wire.payment(section.email, answers["payment"]) if section.email else None
    return wire.enterprise(section.cspId, row, answers.get("mappings"), paid)
