from __future__ import annotations

from typing import Any

import pytest

from reconciler.errors import PlanError
from reconciler.model import kinds
from reconciler.wire import connecttoteams, contextsms
from reconciler.wire.matching import Rows, match

ROWS = [
    {"enterpriseId": 78, "enterpriseName": "Acme"},
    {"enterpriseId": 79, "enterpriseName": "Twin"},
    {"enterpriseId": 80, "enterpriseName": "Twin"},
]


def find(pin: Any, name: str, rows: Any = ROWS) -> dict[str, Any] | None:
    return match(
        rows,
        pin=pin,
        name=name,
        id_field="enterpriseId",
        name_field="enterpriseName",
        platform="ConnecttoTeams",
        section="connecttoteams",
        scope="for this reseller",
    )


def test_by_name_by_pin_and_absent() -> None:
    assert find(None, "Acme") == ROWS[0]
    assert find(80, "Renamed") == ROWS[2]
    assert find(None, "New") is None


def test_an_indexed_listing_matches_as_the_rows_do_and_odd_values_match_nothing() -> None:
    odd = [
        *ROWS,
        {"enterpriseId": [81], "enterpriseName": {"a": 1}},  # a vendor's malformed row
        {"enterpriseId": "78", "enterpriseName": None},
    ]
    listing = connecttoteams.listing(odd)
    assert listing.by_id == {78: [ROWS[0]], 79: [ROWS[1]], 80: [ROWS[2]], "78": [odd[4]]}
    assert listing.by_name == {"Acme": [ROWS[0]], "Twin": [ROWS[1], ROWS[2]]}
    for rows in (odd, listing):
        assert find(None, "Acme", rows) == ROWS[0]
        assert find(78, "Renamed", rows) == ROWS[0]  # the int pin, not the row with "78"
        assert find("78", "Renamed", rows) == odd[4]
        assert find(None, "New", rows) is None
        with pytest.raises(PlanError):
            find(None, "Twin", rows)
    assert Rows(odd, "enterpriseId", "enterpriseName").named(["Acme"]) == []


def test_missing_pin_and_ambiguous_name() -> None:
    with pytest.raises(PlanError) as missing:
        find(81, "Acme")
    assert str(missing.value) == (
        "spec.connecttoteams.enterpriseId 81 does not exist for this reseller: fix or remove "
        "the pin"
    )
    with pytest.raises(PlanError) as info:
        find(None, "Twin")
    assert str(info.value) == (
        "2 ConnecttoTeams enterprises for this reseller are named 'Twin' "
        "(ids 79, 80): twins, made by two runs at once or by hand. The twin rule keeps the "
        "lowest id, 79: move anything 80 holds to 79 and delete 80 on ConnecttoTeams, or pin "
        "one with spec.connecttoteams.enterpriseId"
    )


CSMS_ROWS = [
    {"enterpriseId": "E0000091", "name": "Acme"},
    {"enterpriseId": "E0000092", "name": "Acme"},
]
CSMS_SECTION = kinds.ContextSmsEnterprise.model_construct(cspId="CSP0000003", name="Acme")


def test_contextsms_twins_are_named_with_what_each_holds() -> None:
    held = {"E0000091": [{}], "E0000092": [{}, {}]}
    with pytest.raises(PlanError) as info:
        contextsms.match(CSMS_ROWS, CSMS_SECTION, held)
    assert str(info.value) == (
        "2 ContextSMS enterprises under CSP0000003 are named 'Acme' (E0000091: 1 mapping, "
        "E0000092: 2 mappings): twins, made by two runs at once or by hand. The twin rule "
        "keeps the lowest id, E0000091: move anything E0000092 holds to E0000091 and delete "
        "E0000092 on ContextSMS, or pin one with spec.contextsms.enterpriseId"
    )


def test_an_empty_higher_contextsms_twin_follows_the_twin_rule() -> None:
    held = {"E0000091": [{}]}
    for rows in (CSMS_ROWS, contextsms.listing(CSMS_ROWS)):
        row = contextsms.match(rows, CSMS_SECTION, held)
        assert row == CSMS_ROWS[0]
        assert row is not None and contextsms.empty_twins(rows, row) == ("E0000092",)
