"""Read the live state of every enterprise in scope from all configured platforms at once.

An enterprise whose read failed on any platform is left out of `enterprises` and put in
`failed` with the failing call: the others are planned as if it were not in scope.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from reconciler.model import live, state
from reconciler.model.problem import Problem
from reconciler.providers.connecttoteams import reader as c2t_reader
from reconciler.providers.contextsms import reader as csms_reader
from reconciler.providers.session import Session


async def read(session: Session, desired: state.State) -> live.Live:
    """Live state for each desired enterprise; its essence keyed as the manifest keys it."""
    wanted = list(desired.enterprises.values())
    need_c2t = any(e.connecttoteams is not None for e in wanted)
    need_csms = any(e.contextsms is not None for e in wanted)
    session.prepare(
        *(["connecttoteams"] if need_c2t else []), *(["contextsms"] if need_csms else [])
    )
    c2t, csms = await asyncio.gather(
        c2t_reader.read(session.connecttoteams, wanted) if need_c2t else _nothing_c2t(),
        csms_reader.read(session.contextsms, wanted) if need_csms else _nothing_csms(),
    )
    failed = {**csms.failed, **c2t.failed}
    enterprises = {}
    for enterprise in wanted:
        if enterprise.name in failed:
            continue
        on_c2t = c2t.found.get(enterprise.name)
        on_csms = csms.found.get(enterprise.name)
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
        )
    return live.Live.model_construct(
        enterprises=enterprises, failed=dict(sorted(failed.items())), resellerId=c2t.reseller_id
    )


async def payments(
    session: Session, emails: Mapping[str, str]
) -> dict[str, live.Payment | Problem]:
    """ContextSMS check-payment of each enterprise's contact email, by enterprise name."""
    return await csms_reader.payments(session.contextsms, emails)


async def _nothing_c2t() -> c2t_reader.Read:
    return c2t_reader.Read()


async def _nothing_csms() -> csms_reader.Read:
    return csms_reader.Read()
