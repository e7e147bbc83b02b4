"""Read ContextSMS: one enterprise list per CSP, then one mapping list per enterprise and
the contact's payment status, concurrently."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

from reconciler import errors
from reconciler.model import kinds, live, state
from reconciler.providers import matching
from reconciler.providers.contextsms.client import ContextSmsClient


class Found:
    """What ContextSMS holds for one manifest enterprise (facts None: not there yet)."""

    def __init__(
        self,
        facts: live.ContextSmsLive | None,
        section: kinds.ContextSmsEnterprise | None,
        mappings: dict[str, kinds.Mapping],
        payment: live.Payment | None,
    ) -> None:
        self.facts, self.section, self.mappings, self.payment = facts, section, mappings, payment


async def read(client: ContextSmsClient, wanted: Iterable[state.Enterprise]) -> dict[str, Found]:
    wanted = [e for e in wanted if e.contextsms is not None]
    if not wanted:
        return {}
    csps = sorted({e.contextsms.cspId for e in wanted if e.contextsms})
    listings = await asyncio.gather(*(enterprises(client, csp) for csp in csps))
    rows_by_csp = dict(zip(csps, listings, strict=True))
    matches = {e.name: (e, _match(e, rows_by_csp)) for e in wanted}
    found = await asyncio.gather(*(_enterprise(client, e, row) for e, row in matches.values()))
    return dict(zip(matches, found, strict=True))


async def enterprises(client: ContextSmsClient, csp: str) -> list[dict[str, Any]]:
    try:
        return list(await client.op("listEnterprises", cspId=csp) or [])
    except errors.NotFound:  # "Enterprises not found": an empty CSP
        return []


def _match(
    enterprise: state.Enterprise, rows_by_csp: dict[str, list[dict[str, Any]]]
) -> dict[str, Any] | None:
    section = enterprise.contextsms
    assert section is not None
    return matching.match(
        [r for r in rows_by_csp[section.cspId] if not r.get("deleted")],
        enterprise=enterprise.name,
        pin=section.enterpriseId,
        name=section.name,
        id_field="enterpriseId",
        name_field="name",
        platform="ContextSMS",
        section="contextsms",
        scope=f"under {section.cspId}",
    )


async def _enterprise(
    client: ContextSmsClient, enterprise: state.Enterprise, row: dict[str, Any] | None
) -> Found:
    desired = enterprise.contextsms
    assert desired is not None
    email = desired.email
    payment = client.op("checkPayment", body={"email": email}) if email else _nothing()
    if row is None:
        return Found(None, None, {}, _payment(email, await payment))
    enterprise_id = str(row["enterpriseId"])
    items, paid = await asyncio.gather(
        client.op("listMappings", enterpriseId=enterprise_id), payment
    )
    mappings, ids = mappings_of(items)
    facts = live.ContextSmsLive(enterpriseId=enterprise_id, cspId=desired.cspId, mappingIds=ids)
    return Found(facts, section_of(desired.cspId, row), mappings, _payment(email, paid))


def mappings_of(items: Any) -> tuple[dict[str, kinds.Mapping], dict[str, str]]:
    """A mapping list answer as mappings by phone number, and their NTMAP ids."""
    mappings, ids = {}, {}
    for item in items or []:
        m = item.get("numberToMessageAppMap") or {}
        phone = str(m.get("phoneNumber"))
        ids[phone] = str(m.get("numberToMessageAppMapId"))
        mappings[phone] = kinds.Mapping.model_construct(
            phoneNumber=phone,
            messagingAppType=m.get("messagingAppType") or "Teams",
            messagingAppId=str(m.get("messagingAppId") or ""),
            name=str(m.get("name") or ""),
        )
    return mappings, ids


def section_of(csp: str, row: dict[str, Any]) -> kinds.ContextSmsEnterprise:
    """An enterprise of a CSP's listing as the manifest's contextsms section."""
    return kinds.ContextSmsEnterprise.model_construct(
        cspId=csp,
        name=str(row.get("name")),
        enterpriseId=str(row["enterpriseId"]),
        contact=str(row.get("contact") or ""),
        number=str(row.get("number") or ""),
        email=str(row.get("email") or ""),
    )


def _payment(email: str | None, answer: dict[str, Any] | None) -> live.Payment | None:
    if email is None or answer is None:
        return None
    return live.Payment(
        email=email,
        paid=bool(answer.get("paid")),
        subscriptionStatus=answer.get("subscriptionStatus"),
    )


async def _nothing() -> None:
    return None
