"""The Reconciler object itself: its workspace found as the CLI finds it, credentials from
a mapping instead of the process's environment, what it says of itself, and the tools
beside it (merging shards' reports, the sandbox's files)."""

from __future__ import annotations

import pathlib

import pytest

import reconciler
from reconciler import api
from tests.unit.api.conftest import Project

SECRET = "clientSecret: demo-secret"


def test_the_workspace_is_found_from_here_as_the_cli_finds_it(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project.enterprises)  # below the config: found upwards
    rec = api.Reconciler(transport=project.vendors.transport)
    assert rec.config().path == project.config
    assert [e.name for e in rec.plan().enterprises] == ["northwind-legal", "sunshine-dental"]
    assert repr(rec) == "Reconciler(config=None, paths=[.])"
    named = api.Reconciler(project.config, [project.enterprises / "sunshine-dental.yaml"])
    assert repr(named) == (
        f"Reconciler(config={project.config}, paths=[{project.enterprises / 'sunshine-dental.yaml'}])"
    )


def test_credentials_come_from_the_mapping_given(project: Project) -> None:
    project.config.write_text(
        project.config.read_text().replace(SECRET, "clientSecret: ${C2T_SECRET}")
    )
    with pytest.raises(api.ConfigError) as unset:
        project.reconciler(env={}).plan()
    assert str(unset.value).startswith("environment variable C2T_SECRET is not set (")
    assert str(unset.value).endswith(
        "providers.connecttoteams.clientSecret): export C2T_SECRET before running reconciler"
    )
    plan = project.reconciler(env={"C2T_SECRET": "demo-secret"}).plan()
    assert plan.summary.total == 26 and plan.failed == ()


def test_it_says_where_its_reports_come_from(project: Project) -> None:
    about = project.reconciler().provenance()
    assert about.paths == (str(project.enterprises),)
    assert about.targets == (
        ("ConnecttoTeams", "http://127.0.0.1:9/connecttoteams"),
        ("ContextSMS", "http://127.0.0.1:9/contextsms/api/v2"),
        ("Connectel", "http://127.0.0.1:9/connectel/api/v2"),
    )
    assert about.version == reconciler.__version__


def test_parallelism_bounds_the_requests_in_flight(project: Project) -> None:
    assert project.reconciler(parallelism=1).apply().ok
    assert project.vendors.peaks == {"connecttoteams": 1, "contextsms": 1}
    project.vendors.peaks.clear()
    assert project.reconciler(parallelism=4).drift().in_sync
    assert project.vendors.peaks["connecttoteams"] == 4  # the four reads of an enterprise


def test_a_file_that_is_not_a_drift_report_is_refused_naming_it(tmp_path: pathlib.Path) -> None:
    (tmp_path / "shard.json").write_text('{"formatVersion": 9}')
    with pytest.raises(api.ReconcilerError) as refused:
        api.merge_drift([tmp_path / "shard.json"])
    assert str(refused.value) == (
        f"{tmp_path / 'shard.json'}: not a drift report written by `reconciler drift --format "
        "json` (not a drift report of format version 1)"
    )


def test_the_sandbox_files_are_the_ones_given_else_the_configs(project: Project) -> None:
    given = api.sandbox_files(project.config, "x.db", "seed.yaml")
    assert given == (pathlib.Path("x.db"), pathlib.Path("seed.yaml"))
    db, seed = api.sandbox_files(project.config)
    assert (db, seed) == (project.root / ".reconciler" / "sandbox.db", None)


def test_init_refuses_to_write_over_anything(tmp_path: pathlib.Path) -> None:
    (tmp_path / ".gitignore").write_text("venv/\n")  # merged, never in the way
    (tmp_path / "reconciler.yaml").write_text("mine\n")
    with pytest.raises(api.ReconcilerError) as refused:
        api.init(tmp_path)
    assert str(refused.value) == (
        f"1 file(s) of the starter project exist already, so nothing was written: "
        f"{tmp_path / 'reconciler.yaml'}; choose an empty directory (reconciler init DIR), or "
        "pass --skip-existing to keep them and write the rest"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == [".gitignore", "reconciler.yaml"]
    assert (tmp_path / ".gitignore").read_text() == "venv/\n"
