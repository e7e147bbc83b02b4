"""Read the live state of every enterprise in scope from all configured platforms at once.

Each vendor with a reader (providers.vendors) reads its part of the enterprises whose
manifests name it; the parts are put together per enterprise. An enterprise whose read
failed on any platform is left out of `enterprises` and put in `failed` with the failing
call: the others are planned as if it were not in scope.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from reconciler.model import live, state
from reconciler.model.problem import Problem
from reconciler.providers import vendors
from reconciler.providers.contextsms import reader as contextsms
from reconciler.providers.session import Session


async def read(session: Session, desired: state.State) -> live.Live:
    """Live state for each desired enterprise; its essence keyed as the manifest keys it."""
    wanted = list(desired.enterprises.values())
    readers = [p for p in vendors.PROVIDERS if p.read and any(p.wanted_by(e) for e in wanted)]
    session.prepare(*readers)
    reads = await asyncio.gather(*(p.read(session.client(p), wanted) for p in readers if p.read))
    failed: dict[str, Problem] = {}
    facts: dict[str, Any] = {}
    for found in reversed(reads):  # the first vendor's failure is the one told
        failed |= found.failed
        facts |= found.facts
    enterprises = {}
    for enterprise in wanted:
        if enterprise.name in failed:
            continue
        parts = [r.found[enterprise.name] for r in reads if enterprise.name in r.found]
        essence = state.Enterprise.model_construct(
            name=enterprise.name,
            labels=enterprise.labels,
            policy=enterprise.policy,
            **{k: v for part in parts for k, v in part.essence.items()},
        )
        enterprises[enterprise.name] = live.LiveEnterprise.model_construct(
            name=enterprise.name,
            state=essence,
            **{k: v for part in parts for k, v in part.facts.items()},
        )
    return live.Live.model_construct(
        enterprises=enterprises, failed=dict(sorted(failed.items())), **facts
    )


async def payments(
    session: Session, emails: Mapping[str, str]
) -> dict[str, live.Payment | Problem]:
    """ContextSMS check-payment of each enterprise's contact email, by enterprise name."""
    return await contextsms.payments(session.client(vendors.CONTEXTSMS), emails)
