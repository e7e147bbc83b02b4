"""ConnecttoTeams on the wire: request bodies, one enterprise's four reads parsed into our
model (inventory, holders, users, groups), the match in the reseller's listing, and the
look-ups by name."""

from __future__ import annotations

import pytest

from reconciler import errors
from reconciler.model import kinds, live
from reconciler.wire import connecttoteams as wire

ROW = {
    "enterpriseId": 78,
    "enterpriseName": "Sunshine Dental",
    "services": ["SMS", "PBX", "SMS"],
    "allowExternalNumbers": True,
    "restrictAdminAccess": False,
    "userLimit": 50,
    "ignored": "not a setting",
}
NUMBERS = [
    {  # alice's, by DID id
        "id": 21,
        "countryCode": "1",
        "phoneNumber": "2025550101",
        "sms": True,
        "voice": True,
        "smsCarrierProfile": "Bandwidth",
        "assignedTo": {"type": "USER", "id": "alice@x.com"},
        "services": ["SMS"],
    },
    {  # the Front Desk group's
        "id": 22,
        "countryCode": "1",
        "phoneNumber": "2025550110",
        "sms": True,
        "smsCarrierProfile": "Bandwidth",
        "assignedTo": {"type": "SMS_GROUP", "id": "9"},
        "services": ["SMS"],
    },
    {  # a user's for PBX only: not an SMS holder
        "id": 23,
        "countryCode": "1",
        "phoneNumber": "2025550120",
        "voice": True,
        "voiceRouteType": "DIRECT_ROUTING",
        "assignedTo": {"type": "USER", "id": "bob@x.com"},
        "services": ["PBX"],
    },
    {  # a trunk's
        "id": 24,
        "countryCode": "1",
        "phoneNumber": "2025550130",
        "assignedTo": {"type": "TRUNK", "id": "T1"},
    },
    {"id": 25, "countryCode": "44", "phoneNumber": "7700900123", "sms": False},  # free
]
USERS = [
    {
        "userId": "alice@x.com",
        "email": "alice@x.com",
        "userTag": "front",
        "dids": [{"id": 21, "did": "2025550101"}],
        "enable": True,
    },
    {  # no email kept, a DID not in the inventory read (by its digits), and no type
        "userId": "carol@x.com",
        "dids": [{"id": 99, "did": "2025550199"}],
        "useCallingPhoneNumber": True,
    },
    {"userId": "dave@x.com", "enable": False},
]
GROUPS = [
    {
        "groupId": 9,
        "groupName": "Front Desk",
        "groupOwner": "alice@x.com",
        "dids": [{"id": 22, "did": "2025550110"}],
        "members": ["carol@x.com", "alice@x.com", "alice@x.com"],
    }
]


def test_request_bodies() -> None:
    assert wire.token_form("u", "p", None) == {
        "grant_type": "password",
        "username": "u",
        "password": "p",
    }
    assert wire.token_form("u", "p", "r1") == {"grant_type": "refresh_token", "refresh_token": "r1"}
    section = kinds.ConnecttoTeamsEnterprise(enterpriseName="Acme", services=("SMS",))
    assert wire.new_enterprise(section, 54) == {
        "enterpriseName": "Acme",
        "resellerId": 54,
        "services": ["SMS"],
        "allowExternalNumbers": False,
        "restrictAdminAccess": False,
    }
    kept = {"allowExternalNumbers": True, "userLimit": 50}
    assert wire.edit_enterprise(78, "Acme", ["PBX", "SMS"], kept, 54) == {
        "allowExternalNumbers": True,
        "userLimit": 50,
        "enterpriseId": 78,
        "enterpriseName": "Acme",
        "resellerId": 54,
        "services": ["PBX", "SMS"],
    }
    user = kinds.SmsUser(userId="a@x.com", userTag="front")
    assert wire.enable_user(78, user, True) == {
        "updatedBy": -1,
        "userId": "a@x.com",
        "email": "a@x.com",  # the userId when no email is set
        "enterpriseId": 78,
        "enable": True,
        "useCallingPhoneNumber": False,
        "callingPhoneNumber": 0,
        "userType": "BU",
        "userTag": "front",
    }
    assert wire.enable_user(78, user, False) == {
        "updatedBy": -1,
        "userId": "a@x.com",
        "email": "a@x.com",
        "enterpriseId": 78,
        "enable": False,
    }
    assert wire.user_dids(78, "a@x.com", [22, 3], True)["smsDID"] == ["3", "22"]
    group = kinds.SmsGroup(name="Front Desk", owner="a@x.com")
    assert wire.group(78, group, 9, False, "Reception") == {
        "groupId": 9,
        "groupRef": None,
        "groupName": "Front Desk",
        "groupOwner": "a@x.com",
        "enterpriseId": 78,
        "enable": True,
        "deleteGroup": False,
        "groupNameOld": "Reception",
    }
    assert wire.group_dids(78, group, 9, [5, 4], False)["smsDID"] == ["4", "5"]
    assert wire.members(78, 9, ["b@x.com", "a@x.com"]) == {
        "groupId": 9,
        "enterpriseId": 78,
        "smsMembers": ["a@x.com", "b@x.com"],
    }


def test_answers_of_the_token_and_the_reseller() -> None:
    assert wire.token({"access_token": "t", "refresh_token": "r", "expires_in": 60}) == (
        "t",
        "r",
        60.0,
    )
    assert wire.token({"access_token": "t"}) == ("t", None, 3600.0)
    assert wire.reseller_of({"resellerId": "54"}) == 54
    assert wire.enterprise_rows({"data": [ROW]}) == [ROW]
    assert wire.enterprise_rows(None) == []


def test_one_enterprise_read_into_its_section_users_groups_and_inventory() -> None:
    answers = {
        "phoneNumbers": NUMBERS,
        "smsConfig": {"appSynced": False},
        "listUsers": USERS,
        "listGroups": GROUPS,
    }
    found = wire.enterprise(ROW, answers)
    assert found.section == kinds.ConnecttoTeamsEnterprise(
        enterpriseName="Sunshine Dental", enterpriseId=78, services=("PBX", "SMS")
    )
    facts = found.facts
    assert (facts.enterpriseId, facts.appSynced, facts.groupIds, facts.disabledUsers) == (
        78,
        False,
        {"Front Desk": 9},
        frozenset({"dave@x.com"}),
    )
    assert facts.settings == {
        "allowExternalNumbers": True,
        "restrictAdminAccess": False,
        "userLimit": 50,
    }
    holders = {
        n: (i.holder.type, i.holder.name) if i.holder else None for n, i in facts.inventory.items()
    }
    assert holders == {
        "+12025550101": ("USER", "alice@x.com"),
        "+12025550110": ("SMS_GROUP", "Front Desk"),
        "+12025550120": ("OTHER", "user bob@x.com (PBX)"),
        "+12025550130": ("OTHER", "TRUNK T1"),
        "+447700900123": None,
    }
    assert facts.inventory["+12025550101"] == live.InventoryNumber(
        number="+12025550101",
        didId=21,
        sms=True,
        voice=True,
        carrierProfile="Bandwidth",
        holder=live.Holder(type="USER", id="alice@x.com", name="alice@x.com"),
        services=("SMS",),
    )
    assert set(found.users) == {"alice@x.com", "carol@x.com"}  # dave is disabled
    carol = found.users["carol@x.com"]
    assert (
        carol.numbers,
        carol.email,
        carol.address,
        carol.userType,
        carol.useCallingPhoneNumber,
    ) == (
        ("+12025550199",),
        None,
        "carol@x.com",
        "BU",
        True,
    )
    assert kinds.user_essence(carol)["email"] == "carol@x.com"
    assert found.groups == {
        "Front Desk": kinds.SmsGroup(
            name="Front Desk",
            owner="alice@x.com",
            numbers=("+12025550110",),
            members=("alice@x.com", "carol@x.com"),
        )
    }
    part = found.part()
    assert part.essence == {
        "connecttoteams": found.section,
        "users": found.users,
        "groups": found.groups,
    }
    assert part.facts == {"connecttoteams": facts}


def test_an_unreadable_config_means_synced_and_empty_answers_mean_nothing() -> None:
    answers = {"phoneNumbers": None, "smsConfig": None, "listUsers": None, "listGroups": None}
    found = wire.enterprise({"enterpriseId": 5, "enterpriseName": "Empty"}, answers)
    assert (found.facts.appSynced, found.facts.inventory, found.users, found.groups) == (
        True,
        {},
        {},
        {},
    )


def test_a_group_the_inventory_names_and_the_listing_lacks_is_unknown() -> None:
    answers = {"phoneNumbers": NUMBERS, "smsConfig": {}, "listUsers": USERS, "listGroups": GROUPS}
    assert wire.enterprise(ROW, answers).unknown_groups == set()  # Front Desk (9) is listed
    assert wire.enterprise(ROW, {**answers, "listGroups": []}).unknown_groups == {"9"}
    assert wire.enterprise(ROW, {**answers, "listGroups": None}).unknown_groups == {"9"}
    # odd answers are for parsing to report (a read problem), not a reason to read again
    for odd in ({"a": 1}, ["x", 3]):
        with pytest.raises((KeyError, TypeError, AttributeError)):
            wire.enterprise(ROW, {**answers, "phoneNumbers": odd})
    with pytest.raises((KeyError, TypeError, AttributeError)):
        wire.enterprise(ROW, {**answers, "listGroups": "odd"})
    assert wire.enterprise(ROW, {**answers, "phoneNumbers": None}).unknown_groups == set()


def test_an_enterprise_is_matched_by_pin_else_by_its_unique_name() -> None:
    section = kinds.ConnecttoTeamsEnterprise(enterpriseName="Sunshine Dental")
    rows = [ROW, {"enterpriseId": 79, "enterpriseName": "Northwind"}]
    assert wire.match(rows, section) == ROW
    assert wire.match(rows, section.model_copy(update={"enterpriseId": 79}))["enterpriseId"] == 79
    assert wire.match(rows[1:], section) is None
    twins = [ROW, {**ROW, "enterpriseId": 80}]
    with pytest.raises(errors.PlanError) as twin:
        wire.match(twins, section)
    assert str(twin.value) == (
        "2 ConnecttoTeams enterprises for this reseller are named 'Sunshine Dental' (ids 78, "
        "80): twins, made by two runs at once or by hand. The twin rule keeps the lowest id, "
        "78: move anything 80 holds to 78 and delete 80 on ConnecttoTeams, or pin one with "
        "spec.connecttoteams.enterpriseId"
    )


def test_lost_creates_are_looked_up_by_name_and_twins_are_found() -> None:
    made = wire.lookup("newEnterprise", {}, {"enterpriseName": "Acme", "resellerId": 54})
    assert made is not None
    assert (made.operation, dict(made.params)) == ("listEnterprises", {"resellerId": 54})
    assert made.pick({"data": [ROW, {"enterpriseId": 81, "enterpriseName": "Acme"}]}) == {
        "enterpriseId": 81,
        "enterpriseName": "Acme",
    }
    group = wire.lookup("group", {}, {"groupId": -1, "groupName": "Front Desk", "enterpriseId": 78})
    assert group is not None and group.operation == "listGroups"
    assert group.pick(GROUPS) == GROUPS[0] and group.pick(None) is None
    assert wire.lookup("group", {}, {"groupId": 9, "groupName": "Front Desk"}) is None  # an update
    assert wire.lookup("userDids", {}, {}) is None
    twins = wire.twins("newEnterprise", {}, {"enterpriseName": "Acme", "resellerId": 54})
    assert twins is not None
    assert (twins.operation, twins.name, twins.name_field, twins.id_field, twins.delete) == (
        "listEnterprises",
        "Acme",
        "enterpriseName",
        "enterpriseId",
        None,  # the API cannot delete an enterprise: the loser is left for an admin
    )
    assert wire.twins("group", {}, {}) is None
