from __future__ import annotations

from reconciler.model import live
from reconciler.render import numbers
from reconciler.reports.inventory import Missing


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
