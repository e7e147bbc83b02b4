"""Read the live state of every enterprise in scope from all configured platforms at once."""

from __future__ import annotations

import asyncio

from reconciler.model import live, state
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.connecttoteams.client import ConnecttoTeamsClient
from reconciler.providers.contextsms import reader as csms_reader
from reconciler.providers.contextsms.client import ContextSmsClient


async def read(
    desired: state.State,
    c2t: ConnecttoTeamsClient | None,
    csms: ContextSmsClient | None,
) -> live.Live:
    """Live state for each desired enterprise; its essence keyed as the manifest keys it."""
    wanted = list(desired.enterprises.values())
    c2t_found, csms_found = await asyncio.gather(
        c2t_reader.read(c2t, wanted) if c2t else _empty_c2t(),
        csms_reader.read(csms, wanted) if csms else _empty_csms(),
    )
    enterprises = {}
    for enterprise in wanted:
        on_c2t = c2t_found.get(enterprise.name)
        on_csms = csms_found.get(enterprise.name)
        essence = state.Enterprise.model_construct(
            name=enterprise.name,
            labels=enterprise.labels,
            connecttoteams=on_c2t.section if on_c2t else None,
            contextsms=on_csms.section if on_csms else None,
            users=on_c2t.users if on_c2t else {},
            groups=on_c2t.groups if on_c2t else {},
            mappings=on_csms.mappings if on_csms else {},
            policy=enterprise.policy,
        )
        enterprises[enterprise.name] = live.LiveEnterprise.model_construct(
            name=enterprise.name,
            state=essence,
            connecttoteams=on_c2t.facts if on_c2t else None,
            contextsms=on_csms.facts if on_csms else None,
            payment=on_csms.payment if on_csms else None,
        )
    return live.Live.model_construct(enterprises=enterprises)


async def _empty_c2t() -> dict[str, c2t_reader.Found | None]:
    return {}


async def _empty_csms() -> dict[str, csms_reader.Found]:
    return {}
