"""Every invalid-manifest fixture gives exactly its message, its location and exit 1.

Fixtures are named after the failure; each expectation is the whole of stderr.
"""

from __future__ import annotations

import pathlib

import pytest

from reconciler.cli.main import run

FIXTURES = pathlib.Path(__file__).parents[2] / "fixtures" / "invalid"

EXPECTED = {
    "bad-email": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:14:12: spec.contextsms.email: 'billing.acme.com' is not a valid email address: An email address must have an @-sign.\n"
        "  {file}:16:15: spec.smsUsers[0].userId: 'alice@' is not a valid email address: There must be something after the @-sign.\n"
        "  {file}:19:14: spec.smsGroups[0].owner: '@acme.com' is not a valid email address: There must be something before the @-sign.\n"
        "  {file}:20:31: spec.smsGroups[0].members[1]: 'carol at acme.com' is not a valid email address: An email address must have an @-sign.\n"
        "validation failed: 4 problems\n",
    ),
    "bad-metadata-name": (
        1,
        "{file}: document 1 (Enterprise Acme_Corp):\n"
        "  {file}:4:9: metadata.name: 'Acme_Corp' is not a valid name: use 1 to 63 lowercase letters, digits and '-'\n"
        "validation failed: 1 problem\n",
    ),
    "callapp-without-pbx": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:8:15: spec.connecttoteams.services: service CALLAPP needs PBX: add PBX to services\n"
        "validation failed: 1 problem\n",
    ),
    "document-not-a-mapping": (
        1,
        "{file}: document 1:\n"
        "  {file}:1:1: (document): a manifest document must be a mapping with apiVersion, kind, metadata and spec\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-enterprise-name": (
        1,
        "{file}: document 2 (Enterprise acme):\n"
        "  {file}:9:9: metadata.name: enterprise name 'acme' is already used at {file}:4:9: names must be unique across all manifests\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-group": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:12:13: spec.smsGroups[1].name: duplicate SMS group 'Sales': already defined at spec.smsGroups[0] ({file}:10:7)\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-key": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:13:7: spec.smsUsers[0].userTag: duplicate key 'userTag' (first at line 12): YAML would keep only the last one; remove or merge one of them\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-mapping": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:17:21: spec.mappings[1].phoneNumber: duplicate mapping '+12025550110': already defined at spec.mappings[0] ({file}:16:7)\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-member": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:12:41: spec.smsGroups[0].members[2]: member 'a@acme.com' is listed twice (also at index 0): remove one\n"
        "validation failed: 1 problem\n",
    ),
    "duplicate-user": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:15: spec.smsUsers[1].userId: duplicate SMS user 'a@acme.com': already defined at spec.smsUsers[0] ({file}:10:7)\n"
        "validation failed: 1 problem\n",
    ),
    "empty-file": (0, "{file}:1:1: warning: empty file: no manifests in it\n"),
    "mappings-without-contextsms": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:7:5: spec.mappings: mappings need a spec.contextsms section (the ContextSMS enterprise that holds them)\n"
        "validation failed: 1 problem\n",
    ),
    "messaging-app-type-not-teams": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:14:25: spec.mappings[0].messagingAppType: messagingAppType must be 'Teams' (the only messaging app ContextSMS maps numbers to), got 'Slack'\n"
        "validation failed: 1 problem\n",
    ),
    "missing-required-field": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:10:7: spec.smsGroups[0]: missing required field 'owner'\n"
        "validation failed: 1 problem\n",
    ),
    "number-claimed-by-two-enterprises": (
        1,
        "{file}: document 2 (Enterprise globex):\n"
        "  {file}:24:17: spec.smsGroups[0].numbers[0]: number +12025550101 is claimed twice: by SMS user 'a@acme.com' of enterprise 'acme' ({file}:11:17) and by SMS group 'Support' of enterprise 'globex' ({file}:24:17); a number has one assignee\n"
        "validation failed: 1 problem\n",
    ),
    "number-claimed-by-two-users": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:13:17: spec.smsUsers[1].numbers[0]: number +12025550101 is claimed twice: by SMS user 'a@acme.com' of enterprise 'acme' ({file}:11:17) and by SMS user 'b@acme.com' of enterprise 'acme' ({file}:13:17); a number has one assignee\n"
        "validation failed: 1 problem\n",
    ),
    "number-claimed-by-user-and-group": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:15:17: spec.smsGroups[0].numbers[0]: number +12025550101 is claimed twice: by SMS user 'a@acme.com' of enterprise 'acme' ({file}:11:17) and by SMS group 'Sales' of enterprise 'acme' ({file}:15:17); a number has one assignee\n"
        "validation failed: 1 problem\n",
    ),
    "number-invalid": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:17: spec.smsUsers[0].numbers[0]: '+15555550101' is not a valid phone number for country code +1 (fictional ranges such as +1 555 are invalid; use a real or +1 202 555 01xx number)\n"
        "validation failed: 1 problem\n",
    ),
    "number-not-canonical": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:17: spec.smsUsers[0].numbers[0]: '+1 202 555 0143' is not in canonical E.164 form: write '+12025550143'\n"
        "validation failed: 1 problem\n",
    ),
    "number-not-e164": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:17: spec.smsUsers[0].numbers[0]: '2025550143' is not an E.164 number: write '+', the country code and the number with no spaces (e.g. '+12025550143')\n"
        "validation failed: 1 problem\n",
    ),
    "number-twice-in-user": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:33: spec.smsUsers[0].numbers[1]: number '+12025550101' is listed twice (also at index 0): remove one\n"
        "validation failed: 1 problem\n",
    ),
    "number-unquoted": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:17: spec.smsUsers[0].numbers[0]: phone numbers must be quoted strings: YAML read this unquoted number as the integer 12025550101; write '\"+12025550101\"'\n"
        "validation failed: 1 problem\n",
    ),
    "renamed-from-another-group": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:14:20: spec.smsGroups[1].renamedFrom: SMS group 'Inside Sales' is renamed from 'Sales', but 'Sales' is also a group of this manifest (spec.smsGroups[0], {file}:10:7): remove one of them\n"
        "  {file}:20:21: spec.smsGroups[3].renamedFrom[0]: 'Helpdesk' is the former name of two SMS groups: 'Support' and 'Service Desk': keep it on one\n"
        "validation failed: 2 problems\n",
    ),
    "sms-users-without-sms-service": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:8:15: spec.connecttoteams.services: SMS users are configured but SMS is not in services: add SMS to services\n"
        "  {file}:8:15: spec.connecttoteams.services: SMS groups are configured but SMS is not in services: add SMS to services\n"
        "validation failed: 2 problems\n",
    ),
    "unknown-api-version": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:1:13: apiVersion: unknown apiVersion 'reconciler/v2': expected 'reconciler/v1'\n"
        "validation failed: 1 problem\n",
    ),
    "unknown-field": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:7: spec.smsUsers[0].numbrs: unknown field 'numbrs': did you mean 'numbers'?\n"
        "  {file}:14:5: spec.policy.maxChangePercentage: unknown field 'maxChangePercentage': did you mean 'maxChangePercent'?\n"
        "  {file}:15:3: spec.extras: unknown field 'extras': expected one of connecttoteams, contextsms, mappings, policy, smsGroups, smsUsers\n"
        "validation failed: 3 problems\n",
    ),
    "unknown-ignore-rule": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:12:9: spec.policy.ignore[1]: unknown kind 'smsUsers' in 'smsUsers.userTag': expected one of contextsms, connecttoteams, smsUser, smsGroup, mapping\n"
        "  {file}:13:9: spec.policy.ignore[2]: smsUser.userId is what identifies each SMS user: it cannot be ignored\n"
        "  {file}:14:9: spec.policy.ignore[3]: mapping has no field 'channel' to ignore: expected one of messagingAppType, messagingAppId, name\n"
        "  {file}:15:9: spec.policy.ignore[4]: 'userTag' is not kind.field: write e.g. smsUser.userTag\n"
        "validation failed: 4 problems\n",
    ),
    "unknown-kind": (
        1,
        "{file}: document 1 (Tenant acme):\n"
        "  {file}:2:7: kind: unknown kind 'Tenant': expected 'Enterprise'\n"
        "validation failed: 1 problem\n",
    ),
    "unknown-service": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:8:21: spec.connecttoteams.services[1]: unknown service 'FAX': expected one of PBX, SMS, CALLAPP\n"
        "validation failed: 1 problem\n",
    ),
    "wrong-type": (
        1,
        "{file}: document 1 (Enterprise acme):\n"
        "  {file}:11:16: spec.smsUsers[0].numbers: expected a list, got a string\n"
        "  {file}:13:12: spec.policy.prune: expected true or false, got a string\n"
        "  {file}:14:23: spec.policy.maxChangePercent: must be at most 100, got 150\n"
        "validation failed: 3 problems\n",
    ),
    "yaml-syntax-error": (
        1,
        "{file}:\n"
        "  {file}:12:5: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence started at line 11, column 16)\n"
        "validation failed: 1 problem\n",
    ),
}


def test_every_fixture_has_an_expectation() -> None:
    assert sorted(p.stem for p in FIXTURES.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_message(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = FIXTURES / f"{name}.yaml"
    code = run(["validate", str(path)])
    out = capsys.readouterr()
    expected_code, expected_err = EXPECTED[name]
    assert out.err == expected_err.replace("{file}", str(path))
    assert code == expected_code
