"""The pre-commit hook as a user runs it: `pre-commit try-repo` of this repository on a
sample manifest repository, once clean and once with a typo."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"


def git(repo: pathlib.Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=ci@example.com", "-c", "user.name=ci", *args],
        cwd=repo, check=True, capture_output=True,
    )  # fmt: skip


def test_the_hook_validates_a_manifest_repository(tmp_path: pathlib.Path) -> None:
    repo = tmp_path / "manifests"
    shutil.copytree(EXAMPLES / "enterprises", repo / "enterprises")
    for name in ("reconciler.yaml", "sandbox-seed.yaml"):
        shutil.copy(EXAMPLES / name, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "manifests")
    hook = [
        str(pathlib.Path(sys.executable).parent / "pre-commit"),
        "try-repo", str(ROOT), "reconciler-validate", "--all-files",
    ]  # fmt: skip
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache")}
    clean = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "reconciler validate......" in clean.stdout and "Passed" in clean.stdout
    manifest = repo / "enterprises" / "sunshine-dental.yaml"
    manifest.write_text(manifest.read_text().replace("userTag:", "usertag:", 1))
    git(repo, "commit", "-q", "-am", "a typo")
    broken = subprocess.run(hook, cwd=repo, env=env, capture_output=True, text=True, timeout=600)
    assert broken.returncode == 1
    assert "Failed" in broken.stdout
    assert "enterprises/sunshine-dental.yaml:" in broken.stdout and "usertag" in broken.stdout
