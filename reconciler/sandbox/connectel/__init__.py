"""The Connectel SMS gateway (shared/api/connectel.md and its seed), mounted under
/connectel/api/v2 (and /status/ under /connectel/api, where the seed shows it): sending
(messages), what becomes of a message (lifecycle: delivery to where the platforms route
its number, DLRs and their callbacks), and the delivery reports (reports).

Messages start ENROUTE (single) or QUEUE (bulk) and become final after the configured
delay: DELIVRD when the sandbox routes the number (an assigned SMS DID or a mapped
number; the message lands in that assignee's inbox), UNDELIV when nobody does, REJECTD or
EXPIRED when the recipient matches a configured pattern. DLR callbacks are posted to the
token's callback URL.
"""

from fastapi import APIRouter

from reconciler.sandbox.connectel import messages, reports
from reconciler.sandbox.connectel.lifecycle import finalize_due, routes_of

__all__ = ["finalize_due", "router", "routes_of", "status_router"]

router = APIRouter(prefix="/connectel/api/v2", tags=["connectel"])
for module in (messages, reports):
    router.include_router(module.router)
status_router = APIRouter(prefix="/connectel/api", tags=["connectel"])
status_router.include_router(reports.status_router)
