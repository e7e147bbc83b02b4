"""verify's report: which numbers to text and where each message should land (from the
manifests), and what happened to each. Pure."""

from __future__ import annotations

import dataclasses
from typing import Any

from reconciler.model import state


@dataclasses.dataclass(frozen=True)
class Route:
    """Where the platforms should deliver a text: an SMS user, an SMS group or a Teams app."""

    type: str  # USER, SMS_GROUP, TEAMS_APP
    key: str  # userId, group name, messagingAppId

    def describe(self) -> str:
        return {"USER": "SMS user", "SMS_GROUP": "SMS group", "TEAMS_APP": "Teams app"}[
            self.type
        ] + f" {self.key}"

    def matches(self, delivered: dict[str, Any]) -> bool:
        return delivered.get("type") == self.type and delivered.get(IDENTITY[self.type]) == self.key

    @staticmethod
    def landed(delivered: dict[str, Any]) -> str:
        """Where a message landed, by the identity that tells places apart (a Teams app by
        its id, not its display name)."""
        kind = str(delivered.get("type"))
        if kind not in IDENTITY:
            return f"{kind} {delivered.get('name') or delivered.get('id') or '?'}"
        return Route(kind, str(delivered.get(IDENTITY[kind]))).describe()


IDENTITY = {"USER": "id", "SMS_GROUP": "name", "TEAMS_APP": "messagingAppId"}


@dataclasses.dataclass(frozen=True)
class Target:
    enterprise: str
    number: str
    expected: tuple[Route, ...]


def targets(desired: state.State, numbers: tuple[str, ...] = ()) -> list[Target]:
    """Every managed SMS number (users', groups' and mapped ones), or only `numbers`."""
    routes: dict[tuple[str, str], list[Route]] = {}
    for name, enterprise in sorted(desired.enterprises.items()):
        for user in enterprise.users.values():
            for number in user.numbers:
                routes.setdefault((name, number), []).append(Route("USER", user.userId))
        for group in enterprise.groups.values():
            for number in group.numbers:
                routes.setdefault((name, number), []).append(Route("SMS_GROUP", group.name))
        for mapping in enterprise.mappings.values():
            key = (name, mapping.phoneNumber)
            routes.setdefault(key, []).append(Route("TEAMS_APP", mapping.messagingAppId))
    wanted = set(numbers)
    return [
        Target(enterprise, number, tuple(found))
        for (enterprise, number), found in sorted(routes.items(), key=lambda kv: kv[0][1])
        if not wanted or number in wanted
    ]


@dataclasses.dataclass(frozen=True)
class Result:
    """Where one test message went: its final status, how long it took, where it landed."""

    target: Target
    status: str  # DELIVRD, UNDELIV, REJECTD, EXPIRED, UNKNOWN, or PENDING
    seconds: float | None
    delivered_to: tuple[dict[str, Any], ...] | None  # sandbox only
    wrong_place: bool

    @property
    def ok(self) -> bool:
        return self.status == "DELIVRD" and not self.wrong_place
