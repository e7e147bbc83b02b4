"""The CI recipes in examples/ci run, command for command, against the sandbox.

Every `reconciler ...` line of a recipe is executed in its job's order (plan, apply,
drift) in a project aimed at a served sandbox, so a recipe that rots fails here.
"""

from __future__ import annotations

import json
import os
import pathlib
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
    assert commands["apply"] == [
        "reconciler apply plan.json --report apply.json --report-junit apply.xml"
    ]
    assert commands["drift"] == [
        "reconciler drift . --report junit=drift.xml --report html=drift.html"
    ]
    for command in commands["plan"] + commands["apply"]:
        result = shell(project, command)
        assert result.returncode == 0, (command, result.stdout, result.stderr)
    written = timeless((project.root / "plan.md").read_text())
    assert written == (GOLDEN / "plan/empty-tenant.md").read_text()
    journal = json.loads((project.root / "apply.json").read_text())
    assert journal["outcome"] == "complete" and journal["totals"]["applied"] == 26
    assert ET.parse(project.root / "apply.xml").getroot().get("tests") == "26"
    [nightly] = commands["drift"]
    result = shell(project, nightly)
    assert result.returncode == 0, (nightly, result.stdout, result.stderr)  # in sync
    did = vendor.did(78, "+12025550107")
    vendor.c2t_post(
        "/sms/addSMSDidsForUser",
        {
            "enterpriseId": 78,
            "userId": "erin@sunshinedental.com",
            "assigned": False,
            "smsDID": [did],
        },
    )
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
