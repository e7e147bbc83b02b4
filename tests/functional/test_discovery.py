"""Where reconciler.yaml comes from (as git finds .git: upwards), RECONCILER_CONFIG, and
which YAML files are manifests (not the config, not files without apiVersion or kind)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

from tests.functional.conftest import Project

CI_FILE = "stages: [plan, apply]\nplan:\n  script: [reconciler plan .]\n"


def cli(cwd: pathlib.Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in ("RECONCILER_CONFIG", "COLUMNS")}
    return subprocess.run(
        [sys.executable, "-m", "reconciler", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**clean, **env},
        timeout=120,
    )


def test_the_config_is_found_upwards_from_a_subdirectory(project: Project) -> None:
    inside = project.root / "enterprises"
    result = cli(inside, "plan", ".")
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("Plan: 23 to create, 1 to update, 0 to delete, 2 syncs.\n")


def test_reconciler_config_names_it_from_anywhere(project: Project, tmp_path: pathlib.Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    config = project.root / "reconciler.yaml"
    moved = tmp_path / "prod.yaml"
    moved.write_text(config.read_text())
    config.unlink()
    result = cli(elsewhere, "plan", str(project.root / "enterprises"), RECONCILER_CONFIG=str(moved))
    assert result.returncode == 0, result.stderr
    missing = cli(
        elsewhere, "plan", str(project.root), RECONCILER_CONFIG=str(tmp_path / "nope.yaml")
    )
    assert (missing.returncode, missing.stderr) == (
        1,
        f"error: {tmp_path / 'nope.yaml'}: config file not found (given with RECONCILER_CONFIG)\n",
    )


def test_no_config_says_where_it_looked(tmp_path: pathlib.Path, project: Project) -> None:
    lonely = tmp_path / "lonely"
    lonely.mkdir()
    (lonely / "acme.yaml").write_text(
        (project.root / "enterprises/northwind-legal.yaml").read_text()
    )
    result = cli(lonely, "plan", ".")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: no reconciler.yaml in {lonely} or any directory above; pass --config FILE or "
        "set RECONCILER_CONFIG; or run `reconciler init` to write one (it aims at the embedded "
        "sandbox)\n"
    )


def test_only_manifests_are_manifests(project: Project) -> None:
    (project.root / "ci").mkdir()
    (project.root / "ci" / "pipeline.yml").write_text(CI_FILE)
    prod = project.root / "enterprises" / "prod-config.yaml"  # a config inside the tree
    prod.write_text((project.root / "reconciler.yaml").read_text())
    result = cli(project.root, "validate", ".", "--config", str(prod))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "skipped ci/pipeline.yml: no apiVersion or kind, not a manifest\n"
        "northwind-legal: 6 SMS users, 1 SMS group, 8 numbers, 3 mappings\n"
        "sunshine-dental: 6 SMS users, 2 SMS groups, 9 numbers, 3 mappings\n"
        "ok: 2 enterprises in 2 files\n"
    )
    # a document that says what it is, wrongly, is still an error
    (project.root / "ci" / "pipeline.yml").write_text("apiVersion: reconciler/v2\n" + CI_FILE)
    wrong = cli(project.root, "validate", ".")
    assert wrong.returncode == 1
    assert "ci/pipeline.yml" in wrong.stderr and "apiVersion" in wrong.stderr
