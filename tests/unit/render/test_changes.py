"""A create shows what a reviewer needs: every attribute the manifest sets, long lists
folded, defaults left out; the summary's plurals."""

from __future__ import annotations

from reconciler.plan.model import Change
from reconciler.render import changes


def group(members: int) -> Change:
    return Change(
        id="acme/smsGroup/Intake",
        enterprise="acme",
        kind="smsGroup",
        key="Intake",
        action="create",
        after={
            "name": "Intake",
            "owner": "owner@x.com",
            "numbers": ["+12025550160"],
            "members": [f"m{i:02}@x.com" for i in range(members)],
        },
    )


def test_a_group_create_shows_owner_numbers_and_members() -> None:
    assert changes.change_lines(group(3)) == [
        "+ smsGroup Intake",
        "    owner: owner@x.com",
        "    numbers: +12025550160",
        "    members: m00@x.com, m01@x.com, m02@x.com",
    ]


def test_a_long_member_list_is_folded() -> None:
    lines = changes.change_lines(group(25), mark="+")
    assert lines[-1] == (
        "+   members: m00@x.com, m01@x.com, m02@x.com, m03@x.com, m04@x.com, m05@x.com, "
        "m06@x.com, m07@x.com, … (+17 more)"
    )
    assert changes.change_lines(group(10))[-1].endswith("m09@x.com")  # ten fit


def test_a_user_create_leaves_out_defaults_and_a_mapping_names_its_channel() -> None:
    user = Change(
        id="acme/smsUser/a@x.com",
        enterprise="acme",
        kind="smsUser",
        key="a@x.com",
        action="create",
        after={
            "userId": "a@x.com",
            "email": "a@x.com",
            "numbers": ["+12025550101", "+12025550102"],
            "userTag": "front",
            "userType": "BU",
            "useCallingPhoneNumber": False,
        },
    )
    assert changes.change_lines(user) == [
        "+ smsUser a@x.com",
        "    numbers: +12025550101, +12025550102",
        "    userTag: front",
    ]
    mapping = Change(
        id="acme/mapping/+12025550160",
        enterprise="acme",
        kind="mapping",
        key="+12025550160",
        action="create",
        after={
            "phoneNumber": "+12025550160",
            "messagingAppType": "Teams",
            "messagingAppId": "19:intake@thread.tacv2",
            "name": "Intake",
        },
    )
    assert changes.change_lines(mapping)[1:] == [  # the only app type, Teams, is its default
        "    messagingAppId: 19:intake@thread.tacv2",
        "    name: Intake",
    ]
