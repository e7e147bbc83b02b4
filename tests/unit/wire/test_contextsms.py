"""ContextSMS on the wire: request bodies, answers parsed into our model, the match of a
manifest enterprise in a CSP's listing (pins, twins), and the look-ups by name."""

from __future__ import annotations

import pytest

from reconciler import errors
from reconciler.model import kinds, live
from reconciler.wire import contextsms as wire

SECTION = kinds.ContextSmsEnterprise(
    cspId="CSP0000003",
    name="Acme Clinic",
    contact="Dr. A",
    number="+12025550143",
    email="a@acme.com",
)
MAPPED = {
    "enterpriseId": "E0000091",
    "numberToMessageAppMap": {
        "numberToMessageAppMapId": "NTMAP0000000001",
        "phoneNumber": "+12025550110",
        "messagingAppType": "Teams",
        "messagingAppId": "19:frontdesk@thread.tacv2",
        "name": "FrontDesk",
    },
}


def test_request_bodies() -> None:
    assert wire.login("u", "p") == {"username": "u", "password": "p"}
    assert wire.refresh("u", "r1") == {"username": "u", "refreshToken": "r1"}
    assert wire.new_enterprise(SECTION) == {
        "name": "Acme Clinic",
        "contact": "Dr. A",
        "number": "+12025550143",
        "email": "a@acme.com",
    }
    mapping = kinds.Mapping(phoneNumber="+12025550110", messagingAppId="19:x", name="X")
    assert wire.add_mapping(mapping) == {
        "phoneNumber": "+12025550110",
        "messagingAppType": "Teams",
        "messagingAppId": "19:x",
        "name": "X",
    }
    assert wire.edit_mapping("19:y") == {"messagingAppId": "19:y"}
    assert wire.check_payment("a@acme.com") == {"email": "a@acme.com"}


def test_tokens_read_the_expiry_as_utc_or_not_at_all() -> None:
    answer = {"accessToken": "a", "refreshToken": "r", "expirationTimeInUTC": "2025-01-01T12:00:00"}
    assert wire.tokens(answer) == ("a", "r", 1735732800.0)
    assert wire.tokens({"accessToken": "a", "expirationTimeInUTC": "soon"}) == ("a", None, None)
    assert wire.parse_expiry("2025-01-01T12:00:00.5Z") == 1735732800.5
    with pytest.raises(ValueError, match="not a timestamp: 'yesterday'"):
        wire.parse_expiry("yesterday")


def test_the_listing_leaves_out_deleted_enterprises() -> None:
    rows = [
        {"enterpriseId": "E0000090", "name": "Old", "deleted": True},
        {"enterpriseId": "E0000091", "name": "Acme Clinic", "deleted": False},
        {"enterpriseId": "E0000092", "name": "Other"},
    ]
    assert [r["enterpriseId"] for r in wire.enterprise_rows(rows)] == ["E0000091", "E0000092"]
    assert wire.enterprise_rows(None) == []


def test_an_enterprise_is_matched_by_pin_else_by_its_unique_name() -> None:
    rows = [
        {"enterpriseId": "E0000091", "name": "Acme Clinic"},
        {"enterpriseId": "E0000095", "name": "Renamed"},
    ]
    assert wire.match(rows, SECTION) == rows[0]
    pinned = SECTION.model_copy(update={"enterpriseId": "E0000095"})
    assert wire.match(rows, pinned) == rows[1]
    assert wire.match([], SECTION) is None  # not there yet: created
    with pytest.raises(errors.PlanError) as missing:
        wire.match(rows, SECTION.model_copy(update={"enterpriseId": "E0000099"}))
    assert str(missing.value) == (
        "spec.contextsms.enterpriseId E0000099 does not exist under CSP0000003: fix or remove "
        "the pin"
    )


def test_twins_whose_higher_ids_are_empty_follow_the_twin_rule() -> None:
    rows = [
        {"enterpriseId": "E0000092", "name": "Acme Clinic"},
        {"enterpriseId": "E0000091", "name": "Acme Clinic"},
    ]
    by_enterprise = {"E0000091": [MAPPED]}
    assert wire.match(rows, SECTION, by_enterprise) == rows[1]  # the lowest id
    assert wire.empty_twins(rows, rows[1]) == ("E0000092",)
    both_hold = {"E0000091": [MAPPED], "E0000092": [MAPPED, MAPPED]}
    with pytest.raises(errors.PlanError) as twins:
        wire.match(rows, SECTION, both_hold)
    assert str(twins.value) == (
        "2 ContextSMS enterprises under CSP0000003 are named 'Acme Clinic' (E0000091: 1 "
        "mapping, E0000092: 2 mappings): twins, made by two runs at once or by hand. The twin "
        "rule keeps the lowest id, E0000091: move anything E0000092 holds to E0000091 and "
        "delete E0000092 on ContextSMS, or pin one with spec.contextsms.enterpriseId"
    )


def test_mappings_are_read_by_phone_number_with_their_ids() -> None:
    bare = {
        "numberToMessageAppMap": {
            "numberToMessageAppMapId": "NTMAP2",
            "phoneNumber": "+12025550111",
        }
    }
    mappings, ids = wire.mappings_of([MAPPED, bare])
    assert mappings["+12025550110"] == kinds.Mapping(
        phoneNumber="+12025550110",
        messagingAppType="Teams",
        messagingAppId="19:frontdesk@thread.tacv2",
        name="FrontDesk",
    )
    assert (mappings["+12025550111"].messagingAppType, mappings["+12025550111"].name) == (
        "Teams",
        "",
    )
    assert ids == {"+12025550110": "NTMAP0000000001", "+12025550111": "NTMAP2"}
    split = wire.mappings_by_enterprise([MAPPED, {**bare, "enterpriseId": "E2"}])
    assert {k: len(v) for k, v in split.items()} == {"E0000091": 1, "E2": 1}


def test_one_enterprise_of_a_listing_becomes_its_part_of_the_live_state() -> None:
    row = {
        "enterpriseId": "E0000091",
        "name": "Acme Clinic",
        "contact": "Dr. A",
        "number": "+12025550143",
        "email": "a@acme.com",
    }
    found = wire.enterprise("CSP0000003", row, [MAPPED], ("E0000092",))
    assert found.section == SECTION.model_copy(update={"enterpriseId": "E0000091"})
    assert found.facts == live.ContextSmsLive(
        enterpriseId="E0000091",
        cspId="CSP0000003",
        mappingIds={"+12025550110": "NTMAP0000000001"},
        emptyTwins=("E0000092",),
    )
    part = found.part()
    assert part is not None
    assert part.essence == {"contextsms": found.section, "mappings": found.mappings}
    assert part.facts == {"contextsms": found.facts}
    assert wire.enterprise("CSP0000003", None, None).part() is None  # not there yet


def test_payment_status() -> None:
    answer = {"paid": False, "subscriptionStatus": "past_due"}
    assert wire.payment("a@acme.com", answer) == live.Payment(
        email="a@acme.com", paid=False, subscriptionStatus="past_due"
    )
    assert wire.payment("b@acme.com", {}).paid is False


def test_lost_creates_are_looked_up_by_name_and_twins_are_found() -> None:
    created = wire.lookup("newEnterprise", {"cspId": "CSP0000003"}, {"name": "Acme Clinic"})
    assert created is not None
    assert (created.operation, dict(created.params)) == ("listEnterprises", {"cspId": "CSP0000003"})
    listing = [
        {"enterpriseId": "E1", "name": "Acme Clinic", "deleted": True},
        {"enterpriseId": "E2", "name": "Acme Clinic"},
    ]
    assert created.pick(listing) == listing[1]  # a deleted one is not what we made
    mapping = wire.lookup("addMapping", {"enterpriseId": "E2"}, {"phoneNumber": "+12025550110"})
    assert mapping is not None and mapping.operation == "listMappings"
    assert mapping.pick([MAPPED]) == MAPPED["numberToMessageAppMap"]
    assert mapping.pick([]) is None
    assert wire.lookup("editMapping", {"mappingId": "NTMAP1"}, {}) is None
    twins = wire.twins("newEnterprise", {"cspId": "CSP0000003"}, {"name": "Acme Clinic"})
    assert twins is not None
    assert (twins.operation, twins.name, twins.delete, twins.delete_param) == (
        "listEnterprises",
        "Acme Clinic",
        "deleteEnterprise",
        "enterpriseId",
    )
    assert twins.rows(listing) == [listing[1]]
    assert wire.twins("addMapping", {}, {}) is None
