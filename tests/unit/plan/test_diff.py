"""The one identity diff, for every kind of object: verdicts by identity, essences
compared (defaults filled, order ignored), prune, and renames."""

from __future__ import annotations

import pytest

from reconciler.model import kinds
from reconciler.plan.diff import Diffed, diff

USERS = kinds.KINDS[kinds.SMS_USER]
GROUPS = kinds.KINDS[kinds.SMS_GROUP]
MAPPINGS = kinds.KINDS[kinds.MAPPING]


def verdicts(found: list[Diffed]) -> list[tuple[str, str]]:
    return [(d.key, d.verdict) for d in found]


def test_each_object_is_created_updated_or_left_unmanaged_by_its_identity() -> None:
    desired = {
        "a@x.com": kinds.SmsUser(userId="a@x.com", numbers=("+12025550102", "+12025550101")),
        "b@x.com": kinds.SmsUser(userId="b@x.com"),
        "c@x.com": kinds.SmsUser(userId="c@x.com", userTag="new"),
    }
    live = {
        # the same essence: numbers in another order, the email left to its default
        "a@x.com": kinds.SmsUser(
            userId="a@x.com", numbers=("+12025550101", "+12025550102"), email="a@x.com"
        ),
        "c@x.com": kinds.SmsUser(userId="c@x.com", userTag="old"),
        "z@x.com": kinds.SmsUser(userId="z@x.com"),
    }
    found = list(diff(USERS, desired, live, prune=False))
    assert verdicts(found) == [
        ("b@x.com", "create"),
        ("c@x.com", "update"),
        ("z@x.com", "unmanaged"),
    ]
    create, update, unmanaged = found
    assert (create.want, create.have, create.before) == (desired["b@x.com"], None, None)
    assert create.after == kinds.user_essence(desired["b@x.com"])
    assert (update.before or {})["userTag"] == "old" and (update.after or {})["userTag"] == "new"
    assert (unmanaged.want, unmanaged.have, unmanaged.after) == (None, live["z@x.com"], None)


def test_prune_deletes_what_no_manifest_names() -> None:
    live = {
        "+12025550110": kinds.Mapping(phoneNumber="+12025550110", messagingAppId="19:a", name="A")
    }
    [pruned] = diff(MAPPINGS, {}, live, prune=True)
    assert (pruned.verdict, pruned.before) == (
        "delete",
        {
            "phoneNumber": "+12025550110",
            "messagingAppType": "Teams",
            "messagingAppId": "19:a",
            "name": "A",
        },
    )
    [kept] = diff(MAPPINGS, {}, live, prune=False)
    assert kept.verdict == "unmanaged"


def test_a_renamed_object_takes_over_its_live_self() -> None:
    old = kinds.SmsGroup(name="Front Desk", owner="a@x.com", numbers=("+12025550110",))
    new = kinds.SmsGroup(name="Reception", owner="a@x.com", numbers=("+12025550110",))
    renames = {"Reception": ("Front Desk",)}
    [renamed] = diff(GROUPS, {"Reception": new}, {"Front Desk": old}, prune=True, renames=renames)
    assert (renamed.key, renamed.verdict, renamed.former, renamed.have) == (
        "Reception",
        "update",
        "Front Desk",
        old,
    )
    assert (renamed.before or {})["name"] == "Front Desk"  # nothing pruned, nothing unmanaged
    # once renamed, the leftover renamedFrom plans nothing
    assert (
        list(diff(GROUPS, {"Reception": new}, {"Reception": new}, prune=True, renames=renames))
        == []
    )


@pytest.mark.parametrize(
    ("live_names", "claimed"),
    [
        (("Reception", "Front Desk"), ("Reception", "Front Desk")),  # both names live
        (("Front Desk", "Lobby"), ("Front Desk", "Lobby")),  # two former names live
    ],
)
def test_two_live_objects_that_would_become_one_are_a_conflict(
    live_names: tuple[str, ...], claimed: tuple[str, ...]
) -> None:
    want = kinds.SmsGroup(name="Reception", owner="a@x.com")
    live = {n: kinds.SmsGroup(name=n, owner="a@x.com") for n in live_names}
    renames = {"Reception": ("Front Desk", "Lobby")}
    found = list(diff(GROUPS, {"Reception": want}, live, prune=True, renames=renames))
    assert [(d.key, d.verdict, d.claimed) for d in found] == [("Reception", "conflict", claimed)]


def test_the_diff_is_for_object_kinds_only() -> None:
    with pytest.raises(AssertionError, match="sync is not an object kind"):
        list(diff(kinds.KINDS[kinds.SYNC], {}, {}, prune=False))
