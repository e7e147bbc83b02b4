"""The kind registry: one entry per kind, each the one home of what it is."""

from __future__ import annotations

import typing

from reconciler.model import kinds, state


def test_every_kind_a_plan_can_change_is_registered_and_sorted_once() -> None:
    change_kinds = set(typing.get_args(kinds.ChangeKind))
    assert change_kinds <= set(kinds.KINDS)
    assert set(kinds.KINDS) - change_kinds == {kinds.NUMBER, kinds.CONFLICT}  # drift's own
    orders = [k.order for k in kinds.KINDS.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert all(k.name == name for name, k in kinds.KINDS.items())


def test_object_kinds_name_their_state_field_and_model() -> None:
    assert [(k.name, k.field) for k in kinds.OBJECTS] == [
        ("smsUser", "users"),
        ("smsGroup", "groups"),
        ("mapping", "mappings"),
    ]
    for kind in kinds.OBJECTS:
        assert kind.field in state.Enterprise.model_fields
        assert kind.model is not None and kind.essence is not None
        assert kind.prunable and kind.managed
        assert set(kind.attributes) <= set(kind.model.model_fields)
    assert [k.name for k in kinds.SECTIONS] == ["contextsms", "connecttoteams"]
    assert {h: k.name for h, k in kinds.HOLDERS.items()} == {
        "USER": "smsUser",
        "SMS_GROUP": "smsGroup",
    }
    assert [k.name for k in kinds.KINDS.values() if k.after_failures] == ["sync"]


def test_the_essence_fills_defaults_and_ignores_order() -> None:
    one = kinds.SmsUser(userId="a@x.com", numbers=("+12025550102", "+12025550101"))
    two = kinds.SmsUser(
        userId="a@x.com", numbers=("+12025550101", "+12025550102"), email="a@x.com", userType="BU"
    )
    assert (
        kinds.user_essence(one)
        == kinds.user_essence(two)
        == {
            "userId": "a@x.com",
            "numbers": ["+12025550101", "+12025550102"],
            "email": "a@x.com",
            "userTag": None,
            "userType": "BU",
            "useCallingPhoneNumber": False,
        }
    )
    group = kinds.SmsGroup(name="G", owner="o@x.com", members=("b@x.com", "a@x.com", "a@x.com"))
    assert kinds.group_essence(group)["members"] == ["a@x.com", "b@x.com"]
    section = kinds.ConnecttoTeamsEnterprise(enterpriseName="Acme", services=("SMS", "PBX"))
    assert kinds.connecttoteams_essence(section) == {
        "enterpriseName": "Acme",
        "services": ["PBX", "SMS"],
    }


def test_the_address_defaults_to_the_user_id_and_nowhere_else() -> None:
    assert kinds.SmsUser(userId="a@x.com").address == "a@x.com"
    assert kinds.SmsUser(userId="a@x.com", email="alias@x.com").address == "alias@x.com"


def test_defaults_are_what_a_field_would_be_had_the_manifest_not_set_it() -> None:
    user = kinds.KINDS[kinds.SMS_USER]
    essence = kinds.user_essence(kinds.SmsUser(userId="a@x.com", email="b@x.com", userTag="t"))
    assert user.defaults(essence) == {
        "numbers": [],
        "email": "a@x.com",  # through the essence: the address
        "userTag": None,
        "userType": "BU",
        "useCallingPhoneNumber": False,
    }
    mapping = kinds.KINDS[kinds.MAPPING]
    assert mapping.defaults(
        {
            "phoneNumber": "+12025550110",
            "messagingAppType": "Teams",
            "messagingAppId": "x",
            "name": "n",
        }
    ) == {"messagingAppType": "Teams"}
    assert kinds.KINDS[kinds.CONTEXTSMS].defaults({"cspId": "CSP0000003"}) == {}
    assert kinds.KINDS[kinds.SYNC].defaults({"appSynced": True}) == {}
