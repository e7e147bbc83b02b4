"""An enterprise's changes in the words of the people who text: who gets or loses SMS or
numbers, which groups gain or lose members, which numbers move to another Teams channel,
with the safety threshold's figure. Counted from the changes' before and after. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reconciler.model import kinds
from reconciler.plan.model import Change, Impact


def _set(side: dict[str, Any] | None, field: str) -> set[str]:
    return set((side or {}).get(field) or ())


def impact(changes: Iterable[Change], changed: int, managed: int, limit: int) -> Impact:
    """The counts of `changes`, with `changed` of `managed` objects against `limit`%."""
    counts: dict[str, Any] = {"newOn": []}
    released: set[str] = set()

    def add(name: str, by: int = 1) -> None:
        counts[name] = counts.get(name, 0) + by

    for change in changes:
        released |= set(change.releases)
        said = {f.field for f in change.fields}  # an update's fields the counts below say
        if change.kind in (kinds.CONNECTTOTEAMS, kinds.CONTEXTSMS) and change.action == "create":
            counts["newOn"].append(change.kind)
        elif change.kind == kinds.SMS_USER:
            gained = _set(change.after, "numbers") - _set(change.before, "numbers")
            lost = _set(change.before, "numbers") - _set(change.after, "numbers")
            if change.action == "create":
                add("usersGetSms")
            elif change.action == "delete":
                add("usersLoseSms")
            else:
                add("usersGainNumbers", bool(gained))
                add("usersLoseNumbers", bool(lost))
                said -= {"numbers"}
        elif change.kind == kinds.SMS_GROUP:
            joined = _set(change.after, "members") - _set(change.before, "members")
            left = _set(change.before, "members") - _set(change.after, "members")
            gained = _set(change.after, "numbers") - _set(change.before, "numbers")
            lost = _set(change.before, "numbers") - _set(change.after, "numbers")
            if change.action == "create":
                add("groupsCreated")
            elif change.action == "delete":
                add("groupsDeleted")
            else:
                add("groupsGainMembers", bool(joined))
                add("membersAdded", len(joined))
                add("groupsLoseMembers", bool(left))
                add("membersRemoved", len(left))
                add("groupsGainNumbers", bool(gained))
                add("groupsLoseNumbers", bool(lost))
                add("groupsRenamed", "name" in said)
                said -= {"members", "numbers", "name"}
        elif change.kind == kinds.MAPPING:
            if change.action == "create":
                add("numbersMapped")
            elif change.action == "delete":
                add("numbersUnmapped")
            elif "messagingAppId" in said:
                add("numbersMoveChannel")
                said -= {"messagingAppId"}
        if change.action == "update" and said:
            add("otherUpdates")
    counts["newOn"] = tuple(counts["newOn"])
    counts["numbersReleased"] = len(released)
    return Impact(**counts, managed=managed, changedManaged=changed, maxChangePercent=limit)
