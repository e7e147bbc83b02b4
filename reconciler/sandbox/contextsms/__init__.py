"""The ContextSMS API (shared/api/contextsms.md and the guide in shared/seeds/), mounted
under /contextsms/api/v2, one module per concern: sessions, CSPs, enterprises, mappings,
payments, and what they share (common).

Ids are a prefix and 7 digits (CSP0000003, E0000090, NTMAP0000123); dates are epoch
milliseconds; a number maps to one Teams app across all enterprises (409 DUPLICATE_MAPPING).
"""

from fastapi import APIRouter

from reconciler.sandbox.contextsms import csps, enterprises, mappings, payments, sessions

router = APIRouter(prefix="/contextsms/api/v2", tags=["contextsms"])
for module in (sessions, csps, enterprises, mappings, payments):
    router.include_router(module.router)
