"""What the live platforms say beyond the essence: server ids, inventory, sync and payment.

The planner compares a desired `Enterprise` with the live one's essence (`state`) and
uses these facts for ids, preconditions, conflicts and the Sync Unified App rule.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Literal

from pydantic import Field

from reconciler.model import kinds, state
from reconciler.model.problem import Problem

HolderType = Literal["USER", "SMS_GROUP", "OTHER"]


class Holder(kinds.Frozen):
    """Who holds a number live: an SMS user, an SMS group, or something else (a trunk...)."""

    type: HolderType
    id: str  # userId, group id, or the vendor's id of the other holder
    name: str  # userId, group name, or a description

    def describe(self) -> str:
        if self.type == "USER":
            return f"SMS user '{self.name}'"
        if self.type == "SMS_GROUP":
            return f"SMS group '{self.name}'"
        return self.name


class InventoryNumber(kinds.Frozen):
    number: str  # E.164
    didId: int
    sms: bool
    voice: bool = False
    fax: bool = False
    voiceRouteType: str | None = None
    carrierProfile: str | None = None
    holder: Holder | None = None
    services: tuple[str, ...] = ()


class ConnecttoTeamsLive(kinds.Frozen):
    enterpriseId: int
    enterpriseName: str
    services: tuple[str, ...]
    appSynced: bool
    settings: dict[str, Any] = Field(default_factory=dict)  # sent back as-is by editEnterprise
    inventory: dict[str, InventoryNumber] = Field(default_factory=dict)
    groupIds: dict[str, int] = Field(default_factory=dict)
    disabledUsers: frozenset[str] = frozenset()


class ContextSmsLive(kinds.Frozen):
    enterpriseId: str
    cspId: str
    mappingIds: dict[str, str] = Field(default_factory=dict)  # phoneNumber -> NTMAP id
    emptyTwins: tuple[str, ...] = ()  # same-named enterprises with higher ids, holding nothing


class Payment(kinds.Frozen):
    """ContextSMS check-payment for the enterprise's contact email."""

    email: str
    paid: bool
    subscriptionStatus: str | None = None


class LiveEnterprise(kinds.Frozen):
    """One manifest enterprise as found live; a section is None when not found there."""

    name: str
    state: state.Enterprise
    connecttoteams: ConnecttoTeamsLive | None = None
    contextsms: ContextSmsLive | None = None


class Live(kinds.Frozen):
    """What was read: the enterprises found (or not) live, keyed by manifest name, and the
    ones whose read failed, with why; plus the reseller new enterprises go under."""

    enterprises: dict[str, LiveEnterprise] = Field(default_factory=dict)
    failed: dict[str, Problem] = Field(default_factory=dict)
    resellerId: int | None = None


@dataclasses.dataclass(frozen=True)
class Part:
    """What one vendor holds of one enterprise: the fields of its essence it fills (a
    `state.Enterprise`'s: its section, users, groups, mappings) and the facts beside it
    (a `LiveEnterprise`'s: ids, inventory, sync)."""

    essence: dict[str, Any]
    facts: dict[str, Any]


@dataclasses.dataclass
class VendorRead:
    """One vendor's read of the enterprises in scope: by enterprise name, what it holds
    (absent: not there yet) or why it could not be read; and facts of the whole read
    (`Live`'s fields, such as the reseller new enterprises go under)."""

    found: dict[str, Part] = dataclasses.field(default_factory=dict)
    failed: dict[str, Problem] = dataclasses.field(default_factory=dict)
    facts: dict[str, Any] = dataclasses.field(default_factory=dict)


NOT_IN_INVENTORY = "not in the inventory"


def sms_unusable(item: InventoryNumber | None) -> str | None:
    """Why a number cannot be given to an SMS user or group of the enterprise whose
    inventory `item` comes from (None: not in it), or None when it can: the one
    precondition rule, for plans and for `numbers missing`."""
    if item is None:
        return NOT_IN_INVENTORY
    if not item.sms:
        return "no SMS capability"
    if not item.carrierProfile:
        return "no SMS carrier profile"
    return None
