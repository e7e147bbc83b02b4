from __future__ import annotations

import gc
import pathlib
import subprocess

import pytest

from reconciler.errors import ManifestError
from reconciler.manifest import discovery, loader

DOC = """\
apiVersion: reconciler/v1
kind: Enterprise
metadata:
  name: {name}
spec:
  connecttoteams: {{enterpriseName: {title}, services: [SMS, PBX]}}
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
    found = discovery.discover([tmp_path], exclude=[tmp_path / "seed.yaml"])
    assert [pathlib.Path(f).relative_to(tmp_path).as_posix() for f in found.files] == [
        "a/b.yaml",
        "a/z.yml",
        "b.yaml",
    ]


def test_discovery_never_reads_virtual_environments_or_installed_packages(
    tmp_path: pathlib.Path,
) -> None:
    write(tmp_path, "e.yaml", "")
    write(tmp_path, "venv/pyvenv.cfg", "home = /usr/bin\n")
    write(tmp_path, "venv/lib/python3.11/site-packages/reconciler/starter/enterprise.yaml", "")
    write(tmp_path, "tools/lib/site-packages/x.yaml", "")
    write(tmp_path, "web/node_modules/y.yml", "")
    found = discovery.discover([tmp_path])
    assert found.files == (str(tmp_path / "e.yaml"),)
    assert found.ignored == (
        (f"{tmp_path / 'tools/lib/site-packages'}/", "installed Python packages"),
        (f"{tmp_path / 'venv'}/", "a virtual environment (pyvenv.cfg)"),
        (f"{tmp_path / 'web/node_modules'}/", "installed JavaScript packages"),
    )


def test_inside_a_git_work_tree_only_what_git_tracks_or_would_track_is_read(
    tmp_path: pathlib.Path,
) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, ".gitignore", "build/\nscratch.yaml\n")
    write(tmp_path, "tracked.yaml", "")
    write(tmp_path, "new.yaml", "")  # untracked, not ignored: git would track it
    write(tmp_path, "scratch.yaml", "")
    write(tmp_path, "build/out.yaml", "")
    who = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", *who, "-C", str(tmp_path), "add", "tracked.yaml"], check=True)
    found = discovery.discover([tmp_path])
    assert found.files == (str(tmp_path / "new.yaml"), str(tmp_path / "tracked.yaml"))
    assert sorted(found.ignored) == [
        (str(tmp_path / "build/out.yaml"), "ignored by git (.gitignore)"),
        (str(tmp_path / "scratch.yaml"), "ignored by git (.gitignore)"),
    ]


def test_a_tree_git_ignores_whole_is_no_manifests_and_says_why(tmp_path: pathlib.Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(tmp_path, ".gitignore", "out/\n")
    write(tmp_path, "out/a.yaml", DOC.format(name="a", title="A"))
    write(tmp_path, "out/b.yaml", DOC.format(name="b", title="B"))
    with pytest.raises(ManifestError) as raised:
        loader.load([tmp_path / "out"])
    assert [p.message for p in raised.value.problems] == [
        "no manifests found (looked for *.yaml and *.yml, except reconciler.yaml): 2 YAML "
        "files here are ignored by git (.gitignore), and inside a git work tree only files "
        "git tracks or would track are manifests; un-ignore them, or name a file itself as "
        "PATH (`validate -v` lists what was left out)"
    ]
    assert loader.load([tmp_path / "out" / "a.yaml"]).files == (str(tmp_path / "out/a.yaml"),)


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


def test_what_loading_made_is_left_in_the_oldest_generation_and_nothing_frozen(
    tmp_path: pathlib.Path,
) -> None:
    for i in range(40):
        text = DOC.format(name=f"e{i}", title=f"E{i}")
        text = text.replace("0102", f"{2 * i + 200:04d}").replace("0101", f"{2 * i + 201:04d}")
        write(tmp_path, f"e{i}.yaml", text)
    assert gc.isenabled()
    manifests = loader.load([tmp_path])
    assert len(manifests.state.enterprises) == 40
    # in the oldest generation, not walked as young objects on the way there...
    enterprise = manifests.state.enterprises["e0"]
    assert any(o is enterprise for o in gc.get_objects(generation=2))
    # ...and not frozen: a long-running agent's cyclic garbage is still collected
    assert gc.get_freeze_count() == 0 and gc.isenabled()


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
