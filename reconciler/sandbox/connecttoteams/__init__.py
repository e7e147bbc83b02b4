"""The ConnecttoTeams API (shared/api/connecttoteams.md), mounted under /connecttoteams,
one module per concern: tokens, enterprises, users, groups, numbers (the inventory and
its assignment rules), and what they share (common).

Reads that are POST stay POST. Domain rules: inventory, SMS capability, carrier profile,
one assignee per number, SMS in services, unique group names, Teams users in scope; every
assignment or membership change sets appSynced to false until syncUnifiedApp.
"""

from fastapi import APIRouter

from reconciler.sandbox.connecttoteams import enterprises, groups, numbers, tokens, users

router = APIRouter(prefix="/connecttoteams", tags=["connecttoteams"])
for module in (tokens, enterprises, users, groups, numbers):
    router.include_router(module.router)
