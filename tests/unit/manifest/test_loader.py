from __future__ import annotations

import pathlib

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import loader

DOC = """\
apiVersion: reconciler/v1
kind: Enterprise
metadata:
  name: {name}
spec:
  connecttoteams: {{enterpriseName: {title}, services: [SMS, PBX, SMS]}}
  smsUsers:
    - userId: b@x.com
      numbers: ["+12025550102", "+12025550101"]
  smsGroups:
    - name: G
      owner: b@x.com
      members: [z@x.com, a@x.com]
"""


def write(root: pathlib.Path, relative: str, text: str) -> pathlib.Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_discover_is_recursive_sorted_and_skips_config_seed_and_hidden(
    tmp_path: pathlib.Path,
) -> None:
    write(tmp_path, "b.yaml", "")
    write(tmp_path, "a/z.yml", "")
    write(tmp_path, "a/b.yaml", "")
    write(tmp_path, "reconciler.yaml", "")
    write(tmp_path, "seed.yaml", "")
    write(tmp_path, ".reconciler/x.yaml", "")
    write(tmp_path, "notes.txt", "")
    found = loader.discover([tmp_path], exclude=[tmp_path / "seed.yaml"])
    assert [pathlib.Path(f).relative_to(tmp_path).as_posix() for f in found] == [
        "a/b.yaml",
        "a/z.yml",
        "b.yaml",
    ]


def test_state_is_normalized(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "e.yaml", DOC.format(name="acme", title="Acme"))
    manifests = loader.load([tmp_path])
    enterprise = manifests.state.enterprises["acme"]
    assert enterprise.connecttoteams is not None
    assert enterprise.connecttoteams.services == ("PBX", "SMS")
    user = enterprise.users["b@x.com"]
    assert user.numbers == ("+12025550101", "+12025550102")
    assert user.email == "b@x.com"
    assert user.userType == "BU"
    assert enterprise.groups["G"].members == ("a@x.com", "z@x.com")
    assert enterprise.numbers == frozenset({"+12025550101", "+12025550102"})


def test_digest_changes_with_content_only(tmp_path: pathlib.Path) -> None:
    path = write(tmp_path, "e.yaml", DOC.format(name="acme", title="Acme"))
    first = loader.load([tmp_path]).digest
    assert loader.load([tmp_path]).digest == first
    path.write_text(DOC.format(name="acme", title="Acme Inc"))
    assert loader.load([tmp_path]).digest != first


def test_all_problems_of_all_files_are_reported_at_once(tmp_path: pathlib.Path) -> None:
    write(tmp_path, "a.yaml", "apiVersion: reconciler/v1\nkind: Nope\n")
    write(tmp_path, "b.yaml", "a: [\n")
    with pytest.raises(ManifestError) as info:
        loader.load([tmp_path])
    assert info.value.count == 2  # the unknown kind (its schema is then unknown), the syntax
    report = str(info.value)
    assert f"{tmp_path / 'a.yaml'}:2:7: kind: unknown kind 'Nope'" in report
    assert f"{tmp_path / 'b.yaml'}:2:1: YAML syntax error" in report


def test_no_manifests_is_an_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ManifestError, match="no manifests found"):
        loader.load([tmp_path])


def test_not_utf8(tmp_path: pathlib.Path) -> None:
    (tmp_path / "x.yaml").write_bytes(b"a: \xff\n")
    with pytest.raises(ManifestError, match=r"not UTF-8 text \(byte 3\)"):
        loader.load([tmp_path])
