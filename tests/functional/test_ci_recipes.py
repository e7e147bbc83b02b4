"""The CI recipes in examples/ci run, command for command, against the sandbox.

Every `reconciler ...` line of a recipe is executed in its job's order (plan, apply,
drift) in a project aimed at a served sandbox, so a recipe that rots fails here.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest
import yaml

from tests.functional.conftest import EXAMPLES, GOLDEN, Project, Vendor, timeless

RECIPES = EXAMPLES / "ci"


def github(job: str) -> list[str]:
    workflow = yaml.safe_load((RECIPES / "github-actions.yml").read_text())
    steps = workflow["jobs"][job]["steps"]
    return [s["run"] for s in steps if str(s.get("run", "")).startswith("reconciler ")]


def gitlab(job: str) -> list[str]:
    pipeline = yaml.safe_load((RECIPES / "gitlab-ci.yml").read_text())
    return [line for line in pipeline[job]["script"] if line.startswith("reconciler ")]


def shell(project: Project, command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-c", command],
        cwd=project.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("recipe", [github, gitlab], ids=["github-actions", "gitlab-ci"])
def test_recipe_commands_run_against_the_sandbox(
    project: Project, vendor: Vendor, recipe: object
) -> None:
    steps = recipe  # type: ignore[assignment]
    commands = {job: steps(job) for job in ("plan", "apply", "drift")}  # type: ignore[operator]
    assert commands["plan"] == [
        "reconciler validate .",
        "reconciler plan . --format markdown -o plan.json > plan.md",
    ]
    reviewed = "reconciler apply plan.json --report apply.json --report-junit apply.xml"
    by_hand = "reconciler apply --yes . --report apply.json --report-junit apply.xml"
    assert commands["apply"] in ([reviewed], [reviewed, by_hand])  # GitLab has no by-hand job
    assert commands["drift"] == [
        "reconciler drift . --report junit=drift.xml --report html=drift.html"
    ]
    for command in commands["plan"] + commands["apply"][:1]:
        result = shell(project, command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    written = timeless((project.root / "plan.md").read_text())
    assert written == (GOLDEN / "plan/empty-tenant.md").read_text()
    journal = json.loads((project.root / "apply.json").read_text())
    assert journal["outcome"] == "complete" and journal["totals"]["applied"] == 26
    assert ET.parse(project.root / "apply.xml").getroot().get("tests") == "26"
    for command in commands["apply"][1:]:  # re-plan and apply by hand: nothing left to do
        result = shell(project, command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
        assert json.loads((project.root / "apply.json").read_text())["totals"]["changes"] == 0
    [nightly] = commands["drift"]
    result = shell(project, nightly)
    assert result.returncode == 0, (nightly, result.stdout, result.stderr)  # in sync
    vendor.user_number(78, "erin@sunshinedental.com", "+12025550107", assigned=False)
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    assert shell(project, nightly).returncode == 2  # the nightly job fails on drift...
    with project.sandbox.client() as http:  # ...after one read of each enterprise
        reads = [r["path"] for r in http.get("/_sandbox/requests").json()]
    assert reads.count("/connecttoteams/sms/getSMSUsers/78") == 1
    assert "drift report" in (project.root / "drift.html").read_text()
    suites = ET.parse(project.root / "drift.xml").getroot()
    failures = [
        (suite.get("name"), case.get("name"), failure.text)
        for suite in suites
        for case in suite
        for failure in case.iter("failure")
    ]
    assert failures == [
        (
            "sunshine-dental",
            "smsUser",
            "SMS user erin@sunshinedental.com numbers: git +12025550107, live (none): apply "
            "would update it",
        ),
        (
            "sunshine-dental",
            "sync",
            "Teams Unified App synced with Teams: git yes, live no: apply would sync it",
        ),
    ]


SCHEMAS = {
    "github-actions.yml": "vendor.github-workflows",
    "gitlab-ci.yml": "vendor.gitlab-ci",
    "action.yml": "vendor.github-actions",  # the composite GitHub Action at the root
    "github-actions-sharded.yml": "vendor.github-workflows",
    "gitlab-ci-sharded.yml": "vendor.gitlab-ci",
}


def where(name: str) -> pathlib.Path:
    return EXAMPLES.parent / name if name == "action.yml" else RECIPES / name


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_recipes_are_valid_for_their_ci_system(name: str) -> None:
    """Checked offline against the schemas check-jsonschema ships (GitHub's workflow
    schema, GitLab's CI schema)."""
    checker = pathlib.Path(sys.executable).parent / "check-jsonschema"
    result = subprocess.run(
        [str(checker), "--builtin-schema", SCHEMAS[name], str(where(name))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def scripts(name: str) -> list[str]:
    """Every shell script of a recipe: GitHub `run:` steps, GitLab script lines."""
    document = yaml.safe_load(where(name).read_text())
    if name == "action.yml":
        return [s["run"] for s in document["runs"]["steps"] if "run" in s]
    if name.startswith("github-actions"):
        return [s["run"] for job in document["jobs"].values() for s in job["steps"] if "run" in s]
    found = list(document["default"].get("before_script", []))
    for job in document.values():
        if isinstance(job, dict) and "stage" in job:
            for key in ("before_script", "script", "after_script"):
                found += job.get(key, [])
    return found


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_recipe_scripts_pass_shellcheck(name: str) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        if os.environ.get("CI"):
            pytest.fail("shellcheck is not installed: .ci/run installs Debian's shellcheck package")
        pytest.skip("shellcheck is not installed here (apt-get install shellcheck); CI installs it")
    found = scripts(name)
    assert len(found) >= 2
    for script in found:
        # GitHub substitutes ${{ ... }} before the shell sees it: stand in a variable
        text = re.sub(r"\$\{\{[^}]*\}\}", "$GITHUB_EXPRESSION", script)
        result = subprocess.run(
            [shellcheck, "--shell=bash", "--severity=style", "-"],
            input=text,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, text + result.stdout


def test_the_github_action_runs_the_command_it_is_given(project: Project) -> None:
    [install, run] = scripts("action.yml")
    assert install == 'pip install "teams-sms-reconciler==${VERSION}"'
    env = {**os.environ, "PATH": f"{pathlib.Path(sys.executable).parent}:{os.environ['PATH']}"}

    def action(command: str, paths: str, args: str) -> subprocess.CompletedProcess[str]:
        given = {"COMMAND": command, "PATHS": paths, "ARGS": args}
        return subprocess.run(
            ["bash", "-c", run], cwd=project.root, env={**env, **given},
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip

    planned = action("plan", ".", "--format markdown -o plan.json")
    assert planned.returncode == 0, planned.stderr
    assert planned.stdout.startswith("### reconciler plan: 23 to create")
    assert (project.root / "plan.json").is_file()
    wrong = action("destroy", ".", "")
    assert (wrong.returncode, wrong.stdout) == (
        64,
        "::error::command must be plan, apply, drift or validate, not 'destroy'\n",
    )


def test_zizmor_finds_nothing_in_the_github_recipes_and_the_action() -> None:
    """zizmor's default persona, offline: no credential left in a checkout, no secret
    outside an environment, least permissions (the threat model in the README)."""
    zizmor = pathlib.Path(sys.executable).parent / "zizmor"
    files = [RECIPES / "github-actions.yml", RECIPES / "github-actions-sharded.yml"]
    result = subprocess.run(
        [str(zizmor), "--offline", "--no-progress", *map(str, files), str(where("action.yml"))],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_a_pull_request_is_planned_with_the_target_branchs_config() -> None:
    jobs = yaml.safe_load((RECIPES / "github-actions.yml").read_text())["jobs"]
    steps = jobs["plan"]["steps"]
    base = next(s for s in steps if s.get("with", {}).get("path") == "base")
    assert base["with"]["ref"] == "${{ github.base_ref }}"
    assert any(
        s.get("run") == "cp base/reconciler.yaml reconciler.yaml && rm -rf base" for s in steps
    )
    assert jobs["plan"]["environment"].split()[0] == "plan"
    assert jobs["apply"]["environment"].split()[0] == "production"
