"""Export, pure: live enterprises paired across the two platforms, one manifest document
each under a unique name, only what differs from the defaults written; and the YAML it
becomes is a valid manifest again (it round-trips through validate)."""

from __future__ import annotations

import pathlib

from reconciler.manifest import loader
from reconciler.model import kinds, live
from reconciler.render import manifests
from reconciler.reports import export


def c2t(
    name: str,
    enterprise_id: int,
    numbers: tuple[str, ...] = (),
    users: dict[str, kinds.SmsUser] | None = None,
) -> tuple[
    kinds.ConnecttoTeamsEnterprise,
    live.ConnecttoTeamsLive,
    dict[str, kinds.SmsUser],
    dict[str, kinds.SmsGroup],
]:
    section = kinds.ConnecttoTeamsEnterprise(
        enterpriseName=name, enterpriseId=enterprise_id, services=("SMS",)
    )
    inventory = {
        n: live.InventoryNumber(number=n, didId=i, sms=True, carrierProfile="c")
        for i, n in enumerate(numbers)
    }
    facts = live.ConnecttoTeamsLive(
        enterpriseId=enterprise_id,
        enterpriseName=name,
        services=("SMS",),
        appSynced=True,
        inventory=inventory,
    )
    return section, facts, users or {}, {}


def csms(name: str, *numbers: str) -> tuple[kinds.ContextSmsEnterprise, dict[str, kinds.Mapping]]:
    section = kinds.ContextSmsEnterprise(
        cspId="CSP0000003",
        name=name,
        enterpriseId="E0000001",
        contact="C",
        number="+12025550143",
        email="c@x.com",
    )
    return section, {
        n: kinds.Mapping(phoneNumber=n, messagingAppId=f"19:{n}", name="M") for n in numbers
    }


def test_a_contextsms_enterprise_joins_the_one_holding_its_numbers_else_its_namesake() -> None:
    pairs = export.pair(
        [c2t("Acme", 1, ("+12025550101",)), c2t("Beta", 2), c2t("Gamma", 3)],
        [csms("Acme Clinic", "+12025550101"), csms("Beta"), csms("Lonely", "+12025550199")],
    )
    assert [(p.title, p.csms[0].name if p.csms else None) for p in pairs] == [
        ("Acme", "Acme Clinic"),  # by the mapped number in its inventory
        ("Beta", "Beta"),  # by name
        ("Gamma", None),
        ("Lonely", "Lonely"),  # on ContextSMS only: exported alone
    ]


def test_names_are_unique_slugs_and_only_what_is_set_is_written() -> None:
    users = {
        "a@x.com": kinds.SmsUser(userId="a@x.com", numbers=("+12025550101",), email="a@x.com"),
        "b@x.com": kinds.SmsUser(
            userId="b@x.com", email="alias@x.com", userTag="t", useCallingPhoneNumber=True
        ),
    }
    pairs = export.pair([c2t("Acme & Co.", 1, ("+12025550101",), users), c2t("ACME co", 2)], [])
    (first, document), (second, _) = export.documents(pairs)
    assert (first, second) == ("acme-co", "acme-co-2")
    assert document["spec"]["smsUsers"] == [
        {"userId": "a@x.com", "numbers": ["+12025550101"]},
        {
            "userId": "b@x.com",
            "numbers": [],
            "email": "alias@x.com",
            "userTag": "t",
            "useCallingPhoneNumber": True,
        },
    ]
    assert document["spec"]["connecttoteams"] == {
        "enterpriseName": "Acme & Co.",
        "enterpriseId": 1,
        "services": ["SMS"],
    }
    assert document["spec"]["policy"] == {
        "prune": False,
        "maxChangePercent": 30,
        "requirePayment": False,
    }
    assert export.slug("!!!") == "enterprise" and len(export.slug("x" * 99)) == 63


def test_the_exported_yaml_is_a_valid_manifest(tmp_path: pathlib.Path) -> None:
    users = {"a@x.com": kinds.SmsUser(userId="a@x.com", numbers=("+12025550101",))}
    pairs = export.pair([c2t("Acme", 1, ("+12025550101",), users)], [csms("Acme", "+12025550110")])
    [(name, document)] = export.documents(pairs)
    text = manifests.manifest(document)
    assert text.startswith("# yaml-language-server: $schema=schemas/manifest.schema.json\n")
    assert '"+12025550101"' in text  # numbers always quoted
    (tmp_path / f"{name}.yaml").write_text(text)
    loaded = loader.load([tmp_path])
    [acme] = loaded.state.enterprises.values()
    assert (acme.name, list(acme.users), list(acme.mappings)) == (
        "acme",
        ["a@x.com"],
        ["+12025550110"],
    )
    assert acme.connecttoteams is not None and acme.connecttoteams.enterpriseId == 1
