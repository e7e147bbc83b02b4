"""Read ConnecttoTeams: one enterprise list per reseller, then per enterprise its four
reads (inventory, SMS config, users, groups) at once. Parsing is wire's; a failure is
that enterprise's (the listing's failure, every enterprise's on this platform)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Iterable, Mapping
from typing import Any, TypeVar

from reconciler import errors
from reconciler.model import state
from reconciler.model.problem import Problem
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.wire import connecttoteams as wire
from reconciler.wire import matching

T = TypeVar("T")


class Read:
    """Per enterprise name: what was found (None: not there yet), or why it failed."""

    def __init__(self) -> None:
        self.found: dict[str, wire.Found | None] = {}
        self.failed: dict[str, Problem] = {}
        self.reseller_id: int | None = None


async def read(client: ConnecttoTeamsClient, wanted: Iterable[state.Enterprise]) -> Read:
    """Live ConnecttoTeams state for each enterprise with a connecttoteams section."""
    result = Read()
    wanted = [e for e in wanted if e.connecttoteams is not None]
    if not wanted:
        return result
    try:
        result.reseller_id = await client.reseller_id()
        rows = wire.enterprise_rows(
            await client.op("listEnterprises", resellerId=result.reseller_id)
        )
    except errors.ApiError as exc:
        result.failed = {e.name: problem(e.name, exc) for e in wanted}
        return result
    outcomes = await asyncio.gather(*(_one(client, e, rows) for e in wanted))
    for enterprise, outcome in zip(wanted, outcomes, strict=True):
        if isinstance(outcome, Problem):
            result.failed[enterprise.name] = outcome
        else:
            result.found[enterprise.name] = outcome
    return result


async def _one(
    client: ConnecttoTeamsClient, desired: state.Enterprise, rows: list[dict[str, Any]]
) -> wire.Found | Problem | None:
    section = desired.connecttoteams
    assert section is not None
    try:
        row = matching.match(
            rows,
            pin=section.enterpriseId,
            name=section.enterpriseName,
            id_field="enterpriseId",
            name_field="enterpriseName",
            platform="ConnecttoTeams",
            section="connecttoteams",
            scope="for this reseller",
        )
        return await enterprise(client, row) if row else None
    except errors.PlanError as exc:
        return Problem(kind="conflict", enterprise=desired.name, message=str(exc))
    except errors.ApiError as exc:
        return problem(desired.name, exc)


async def enterprise(client: ConnecttoTeamsClient, row: Mapping[str, Any]) -> wire.Found:
    """Everything about one enterprise of the reseller's listing (four calls at once)."""
    enterprise_id = int(row["enterpriseId"])
    answers = await all_of(
        {op: client.op(op, enterpriseId=enterprise_id) for op in wire.ENTERPRISE_READS}
    )
    return wire.enterprise(row, answers)


async def all_of(calls: Mapping[str, Awaitable[T]]) -> dict[str, T]:
    """Await every call (none is left running); the first failure, in order, is raised."""
    results = await asyncio.gather(*calls.values(), return_exceptions=True)
    for outcome in results:
        if isinstance(outcome, BaseException):
            raise outcome
    return dict(zip(calls, results, strict=True))  # type: ignore[arg-type]


def problem(enterprise: str, exc: errors.ApiError) -> Problem:
    """A failed read as the enterprise's problem, naming the API, the call and the answer."""
    return Problem(
        kind="read",
        enterprise=enterprise,
        message=f"cannot read it: {exc}",
        api=exc.api,
        operation=exc.operation,
    )
