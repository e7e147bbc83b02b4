"""The workspace: config discovery, manifests, the scope of a workflow, and provenance
from a real git work tree."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

from reconciler.engine import git, workspace
from reconciler.engine.workspace import Scope
from reconciler.errors import ConfigError, ManifestError, ReconcilerError

ROOT = pathlib.Path(__file__).parents[3]
EXAMPLES = ROOT / "examples"


@pytest.fixture
def project(tmp_path: pathlib.Path) -> pathlib.Path:
    shutil.copytree(EXAMPLES / "enterprises", tmp_path / "enterprises")
    (tmp_path / "reconciler.yaml").write_text(
        "providers:\n  connectel:\n    url: https://smsapi.example/api/v2\n"
        "    token: ${GATEWAY_TOKEN}\n"
    )
    return tmp_path


def run_git(where: pathlib.Path, *args: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
    }
    subprocess.run(["git", *args], cwd=where, check=True, capture_output=True, env=env)


def test_the_workspace_is_the_config_the_manifests_and_the_scope(project: pathlib.Path) -> None:
    enterprises = project / "enterprises"
    ws = workspace.load((enterprises,), None, Scope(selector={"tier": "gold"}))
    assert ws.config.path == project / "reconciler.yaml"  # found above the first path
    assert list(ws.desired.enterprises) == ["sunshine-dental"]
    assert len(ws.manifests.state.enterprises) == 2  # every manifest is validated
    assert ws.paths == (enterprises,)


def test_a_scope_takes_names_and_labels_and_refuses_what_matches_nothing(
    project: pathlib.Path,
) -> None:
    desired = workspace.load((project / "enterprises",), None).desired
    both = Scope(enterprises=["sunshine-dental", "northwind-legal"])
    assert sorted(both.apply(desired).enterprises) == ["northwind-legal", "sunshine-dental"]
    assert list(Scope(("northwind-legal",), {"tier": "silver"}).apply(desired).enterprises) == [
        "northwind-legal"
    ]
    with pytest.raises(ReconcilerError, match=r"^no enterprise matches tier=gold region=us-west$"):
        Scope(selector={"tier": "gold", "region": "us-west"}).apply(desired)
    with pytest.raises(ReconcilerError, match=r"^no enterprise named 'a', 'b' in the manifests"):
        Scope(enterprises=["a", "b"]).apply(desired)
    assert Scope(enterprises=iter(["x"])).enterprises == ("x",)  # any iterable of names


def test_a_scope_leaves_out_enterprises_by_name_or_label(project: pathlib.Path) -> None:
    desired = workspace.load((project / "enterprises",), None).desired
    assert list(Scope(exclude=["northwind-legal"]).apply(desired).enterprises) == [
        "sunshine-dental"
    ]
    assert list(Scope(exclude_selector={"tier": "gold"}).apply(desired).enterprises) == [
        "northwind-legal"
    ]
    either = Scope(exclude_selector={"tier": "gold", "region": "nowhere"})  # any pair excludes
    assert list(either.apply(desired).enterprises) == ["northwind-legal"]
    everything = Scope(exclude=["northwind-legal"], exclude_selector={"tier": "gold"})
    with pytest.raises(ReconcilerError) as none:
        everything.apply(desired)
    assert str(none.value) == (
        "no enterprise matches --exclude northwind-legal --exclude-selector tier=gold"
    )
    with pytest.raises(ReconcilerError, match=r"^no enterprise named 'nothwind' in the manifests"):
        Scope(exclude=["nothwind"]).apply(desired)  # a typo never widens the scope silently
    assert Scope.parse((), (), ["a"], ["ring=canary"]) == Scope(
        exclude=("a",), exclude_selector={"ring": "canary"}
    )


def test_invalid_manifests_and_a_missing_config_file_are_errors(project: pathlib.Path) -> None:
    (project / "enterprises" / "broken.yaml").write_text(
        "apiVersion: reconciler/v1\nkind: Tenant\n"
    )
    with pytest.raises(ManifestError) as invalid:
        workspace.load((project / "enterprises",), None)
    assert invalid.value.count == 1
    with pytest.raises(ConfigError, match="config file not found"):
        workspace.config(project / "nope.yaml")


def test_provenance_names_the_commit_and_whether_the_manifests_differ(
    project: pathlib.Path,
) -> None:
    paths = (project / "enterprises",)
    config = workspace.config(None, paths)
    outside = workspace.provenance(config, paths, at=0.0)
    assert (outside.commit, outside.uncommitted, outside.where) == (
        None,
        False,
        "not in a git work tree",
    )
    assert outside.targets == (("Connectel", "https://smsapi.example/api/v2"),)
    run_git(project, "init", "-q")
    run_git(project, "add", "-A")
    run_git(project, "commit", "-q", "-m", "manifests")
    clean = workspace.provenance(config, paths)
    assert clean.commit is not None and len(clean.commit) == 40 and not clean.uncommitted
    assert clean.where == f"commit {clean.commit[:12]}"
    (project / "enterprises" / "sunshine-dental.yaml").write_text(
        (project / "enterprises" / "sunshine-dental.yaml").read_text() + "\n"
    )
    dirty = workspace.provenance(config, paths)
    assert (dirty.commit, dirty.uncommitted) == (clean.commit, True)
    assert dirty.where.endswith(" with uncommitted changes")
    assert dirty.paths == (str(project / "enterprises"),)


def test_without_git_there_is_no_commit(
    project: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(project))  # no git on it
    assert git.commit_of(project, ()) == (None, False)


def test_the_sandbox_files_default_to_the_config_and_the_demo_seed(
    project: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    db, seed = workspace.sandbox_files(None, None, None)
    assert (db, seed) == (pathlib.Path(".reconciler/sandbox.db"), None)  # said from here
    (project / "reconciler.yaml").unlink()
    db, seed = workspace.sandbox_files(None, None, None)
    assert db == pathlib.Path.cwd() / ".reconciler" / "sandbox.db"
    assert seed is not None and seed.name in ("sandbox-seed.yaml", "demo-seed.yaml")
    given = workspace.sandbox_files(None, project / "x.db", project / "seed.yaml")
    assert given == (project / "x.db", project / "seed.yaml")
