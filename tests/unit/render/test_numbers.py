"""The number inventory rendered: an aligned table, CSV, JSON, the missing numbers, and the
portal's bulk-upload file."""

from __future__ import annotations

import json

from reconciler.model import live
from reconciler.render import numbers
from reconciler.reports.inventory import Missing, Row


def test_upload_csv_keeps_known_capabilities_and_splits_country_codes() -> None:
    oc = live.InventoryNumber(
        number="+442079460000",
        didId=1,
        sms=False,
        voice=True,
        fax=True,
        voiceRouteType="OPERATOR_CONNECT",
    )
    items = [
        Missing("a", "+442079460000", "SMS user a@x.com", "no SMS capability", oc),
        Missing("a", "+12025550199", "SMS group G", "not in the inventory", None),
    ]
    assert numbers.upload_csv(items) == (
        "Country Code,Phone Number,Voice,SMS,Fax,Voice Route Type\n"
        "44,2079460000,TRUE,TRUE,TRUE,Operator Connect\n"
        "1,2025550199,FALSE,TRUE,FALSE,\n"
    )


ROWS = [
    Row(
        "acme",
        "+12025550101",
        True,
        True,
        False,
        "DIRECT_ROUTING",
        "Bandwidth",
        "a@x.com",
        "USER",
        ("SMS",),
        "SMS user a@x.com",
    ),
    Row("acme", "+12025550110", False, True, True, None, None, "", "", (), ""),
    Row(
        "beta",
        "+12025550120",
        True,
        False,
        False,
        "OPERATOR_CONNECT",
        None,
        "trunk 7",
        "OTHER",
        ("PBX",),
        "SMS group Desk",
    ),
]


def test_the_inventory_as_an_aligned_table_for_a_file_or_a_pipe() -> None:
    assert numbers.table(ROWS) == (
        "ENTERPRISE  NUMBER        CAPABILITIES  ROUTE             CARRIER PROFILE  ASSIGNEE          WANTED BY\n"
        "acme        +12025550101  voice+sms     Direct Routing    Bandwidth        SMS user a@x.com  SMS user a@x.com\n"
        "acme        +12025550110  sms+fax       -                 -                -                 -\n"
        "beta        +12025550120  voice         Operator Connect  -                trunk 7           SMS group Desk\n"
        "3 numbers\n"
    )
    assert numbers.count(ROWS[:1]) == "1 number"
    assert numbers.cells(ROWS)[1] == ("acme", "+12025550110", "sms+fax", "-", "-", "-", "-")


def test_the_inventory_as_csv_and_as_json() -> None:
    assert numbers.as_csv(ROWS[:1]) == (
        "enterprise,number,capabilities,route,carrier,assignee,wantedBy\n"
        "acme,+12025550101,voice+sms,Direct Routing,Bandwidth,SMS user a@x.com,SMS user a@x.com\n"
    )
    [first] = json.loads(numbers.as_json(ROWS[:1]))
    assert first == {
        "enterprise": "acme",
        "number": "+12025550101",
        "voice": True,
        "sms": True,
        "fax": False,
        "route": "DIRECT_ROUTING",
        "carrier": "Bandwidth",
        "assignee": "a@x.com",
        "assigneeType": "USER",
        "services": ["SMS"],
        "wantedBy": "SMS user a@x.com",
    }


def test_what_is_missing_is_said_or_that_nothing_is() -> None:
    item = Missing("acme", "+12025550199", "SMS user a@x.com", "not in the inventory", None)
    assert numbers.missing_lines([item]) == [
        "acme: +12025550199 (SMS user a@x.com): not in the inventory"
    ]
    assert numbers.missing_lines([]) == [
        "every number the manifests use is in the inventory with SMS and a carrier profile"
    ]
