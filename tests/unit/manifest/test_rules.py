"""Cross-object rules the fixtures do not cover, through the loader: a number mapped in two
enterprises, a former name claimed by two groups, groups without a ConnecttoTeams
section; each reported at the second place, naming the first."""

from __future__ import annotations

import pathlib

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import loader

HEAD = """\
apiVersion: reconciler/v1
kind: Enterprise
metadata:
  name: {name}
spec:
"""
CONTEXTSMS = """\
  contextsms:
    cspId: CSP0000003
    name: {title}
    contact: C
    number: "+12025550143"
    email: c@x.com
"""
C2T = """\
  connecttoteams:
    enterpriseName: {title}
    services: [SMS]
"""


def problems(tmp_path: pathlib.Path, **files: str) -> list[str]:
    for name, text in files.items():
        (tmp_path / f"{name}.yaml").write_text(text)
    with pytest.raises(ManifestError) as invalid:
        loader.load([tmp_path])
    return [
        f"{pathlib.Path(p.file).name}:{p.position.line}: {p.message}"
        for p in invalid.value.problems
    ]


def test_a_number_mapped_in_two_enterprises(tmp_path: pathlib.Path) -> None:
    mapped = '  mappings:\n    - {phoneNumber: "+12025550110", messagingAppId: "19:x", name: X}\n'
    assert problems(
        tmp_path,
        a=HEAD.format(name="a") + CONTEXTSMS.format(title="A") + mapped,
        b=HEAD.format(name="b") + CONTEXTSMS.format(title="B") + mapped,
    ) == [
        "b.yaml:13: number +12025550110 is mapped in enterprise 'a' too "
        f"({tmp_path / 'a.yaml'}:13:21): a number maps to one Teams app"
    ]


def test_a_former_name_claimed_by_two_groups(tmp_path: pathlib.Path) -> None:
    groups = (
        "  smsGroups:\n"
        "    - {name: Reception, owner: a@x.com, renamedFrom: Front Desk}\n"
        "    - {name: Lobby, owner: a@x.com, renamedFrom: [Hall, Front Desk]}\n"
    )
    assert problems(tmp_path, a=HEAD.format(name="a") + C2T.format(title="A") + groups) == [
        "a.yaml:11: 'Front Desk' is the former name of two SMS groups: 'Reception' and 'Lobby': "
        "keep it on one"
    ]


def test_groups_need_a_connecttoteams_section(tmp_path: pathlib.Path) -> None:
    groups = "  smsGroups:\n    - {name: G, owner: a@x.com}\n"
    assert problems(tmp_path, a=HEAD.format(name="a") + groups) == [
        "a.yaml:7: SMS groups need a spec.connecttoteams section with SMS in its services"
    ]


def test_a_user_listing_a_number_twice_is_one_holder_not_a_claim(tmp_path: pathlib.Path) -> None:
    users = '  smsUsers:\n    - {userId: a@x.com, numbers: ["+12025550101", "+12025550101"]}\n'
    found = problems(tmp_path, a=HEAD.format(name="a") + C2T.format(title="A") + users)
    assert len(found) == 1 and "claimed twice" not in found[0]
    assert found[0].startswith("a.yaml:10: ")
