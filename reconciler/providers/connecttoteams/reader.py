"""Read ConnecttoTeams: one enterprise list per reseller, then per enterprise its four
reads (inventory, SMS config, users, groups) at once. Parsing is wire's; a failure is
that enterprise's (the listing's failure, every enterprise's on this platform)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from reconciler import errors
from reconciler.model import kinds, live, state
from reconciler.model.problem import Problem
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.isolation import all_of, isolated, problem
from reconciler.wire import connecttoteams as wire
from reconciler.wire.matching import Rows

log = logging.getLogger("reconciler.read")
# An enterprise's reads, sent again while the inventory names a group the group listing
# lacks: a change between them clears in one more read, a dangling reference never does.
READS = 3


async def read(client: ConnecttoTeamsClient, wanted: Iterable[state.Enterprise]) -> live.VendorRead:
    """Live ConnecttoTeams state for each enterprise with a connecttoteams section, and
    the reseller new enterprises go under."""
    result = live.VendorRead()
    wanted = [e for e in wanted if e.connecttoteams is not None]
    if not wanted:
        return result
    try:
        reseller = result.facts["resellerId"] = await client.reseller_id()
        rows = wire.listing(
            wire.enterprise_rows(await client.op("listEnterprises", resellerId=reseller))
        )
    except errors.ApiError as exc:
        result.failed = {e.name: problem(e.name, exc) for e in wanted}
        return result
    outcomes = await asyncio.gather(
        *(
            isolated(e.name, _one(client, e.connecttoteams, rows))
            for e in wanted
            if e.connecttoteams
        )
    )
    for enterprise, outcome in zip(wanted, outcomes, strict=True):
        if isinstance(outcome, Problem):
            result.failed[enterprise.name] = outcome
        elif outcome is not None:
            result.found[enterprise.name] = outcome.part()
    return result


async def _one(
    client: ConnecttoTeamsClient, section: kinds.ConnecttoTeamsEnterprise, rows: Rows
) -> wire.Found | None:
    row = wire.match(rows, section)
    return await enterprise(client, row) if row else None


async def enterprise(client: ConnecttoTeamsClient, row: Mapping[str, Any]) -> wire.Found:
    """Everything about one enterprise of the reseller's listing: four calls at once, sent
    again while they disagree (at most READS times in all), so that a group another run
    made between them is not taken for a stranger holding its numbers."""
    enterprise_id = int(row["enterpriseId"])

    async def read_once() -> wire.Found:
        calls = {op: client.op(op, enterpriseId=enterprise_id) for op in wire.ENTERPRISE_READS}
        return wire.enterprise(row, await all_of(calls))

    found = await read_once()
    for attempt in range(1, READS):
        if not found.unknown_groups:
            break
        unknown = sorted(found.unknown_groups)
        log.info(
            "ConnecttoTeams enterprise %s: its inventory has numbers held by SMS group %s, "
            "which its group listing does not show (changed between the reads): reading "
            "the enterprise again",
            enterprise_id,
            ", ".join(unknown),
            extra={
                "fields": {
                    "api": client.api,
                    "enterpriseId": enterprise_id,
                    "groups": unknown,
                    "attempt": attempt,
                }
            },
        )
        found = await read_once()
    return found
