from __future__ import annotations

from typing import Any

import pytest

from reconciler.errors import PlanError
from reconciler.wire.matching import match

ROWS = [
    {"enterpriseId": 78, "enterpriseName": "Acme"},
    {"enterpriseId": 79, "enterpriseName": "Twin"},
    {"enterpriseId": 80, "enterpriseName": "Twin"},
]


def find(pin: Any, name: str) -> dict[str, Any] | None:
    return match(
        ROWS,
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
