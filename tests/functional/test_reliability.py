"""Nothing lost, nothing doubled: a vendor that commits a create after the client gave up
(`commitDelayMs`), answers that are not JSON, and apply proving it converged."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from tests.functional.conftest import Project, shared_looks, without_run
from tests.functional.test_apply import assert_converged, assert_no_duplicates, faults, requests

PATIENT = (
    "\n  timeout: 0.5"
    "\n  retry: {attempts: 6, initialBackoff: 0.2, maxBackoff: 1, deadline: 60, lookupWindow: 10}"
    "\n"
)


def patient(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    config.write_text(config.read_text().replace("\napply:\n", "\napply:" + PATIENT))


def test_a_create_committed_after_the_timeout_is_found_not_made_twice(project: Project) -> None:
    patient(project)
    faults(
        project,
        [
            {"route": "/contextsms/api/v2/enterprise/CSP*", "commitDelayMs": 1500},
        ],
    )
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    creates = Counter(
        (r["method"], r["path"], r["status"])
        for r in requests(project)
        if "/enterprise/CSP" in r["path"]
    )
    # Two enterprises are created, each once, although each first answer timed out.
    assert creates == {
        ("POST", "/contextsms/api/v2/enterprise/CSP0000003", 201): 2,
    }
    faults(project, [])
    assert_no_duplicates(project)
    assert_converged(project)


def test_apply_says_so_when_a_re_read_still_plans_changes(project: Project) -> None:
    # The vendor acknowledges adding members and does nothing: every call "succeeds".
    faults(
        project,
        [{"route": "/connecttoteams/sms/addSMSMembersForGroup", "ackWithoutCommitRate": 1}],
    )
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 1
    assert shared_looks(result.stdout, 46).endswith(
        "Apply incomplete: 26 applied, 0 failed, 0 skipped (46 API calls); "
        "not converged: northwind-legal, sunshine-dental.\n"
    )
    remaining = [
        "update northwind-legal/smsGroup/Client Intake",
        "sync northwind-legal/sync/Unified App",
        "update sunshine-dental/smsGroup/Billing",
        "update sunshine-dental/smsGroup/Front Desk",
        "sync sunshine-dental/sync/Unified App",
    ]
    assert without_run(result.stderr).splitlines()[-6:] == [
        *(f"  remains after apply: {r}" for r in remaining),
        "Run apply again once the cause is fixed: it picks up where this one stopped.",
    ]
    json_run = project.run("apply", "--yes", "--json", ".")
    summary = json.loads(json_run.stdout.splitlines()[-1])
    assert summary["convergence"] == {
        "converged": False,
        "checked": ["northwind-legal", "sunshine-dental"],
        "unconverged": ["northwind-legal", "sunshine-dental"],
        "remaining": remaining,
        "problems": [],
        "calls": summary["convergence"]["calls"],
    }
    faults(project, [])
    again = project.run("apply", "--yes", ".")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines()[-2:] == [
        "Converged: a re-read of the 2 changed enterprises plans no changes (11 API calls).",
        "Apply complete: 5 applied, 0 failed, 0 skipped (5 API calls).",
    ]


@pytest.mark.parametrize("option", ["--no-reread", "--no-verify"])
def test_no_reread_skips_the_re_read(project: Project, option: str) -> None:
    result = project.run("apply", "--yes", option, ".")
    assert result.returncode == 0, result.stderr
    assert shared_looks(result.stdout.splitlines()[-1], 46) == (
        "Apply complete: 26 applied, 0 failed, 0 skipped (46 API calls)."
    )
    assert not any(line.startswith("Converged") for line in result.stdout.splitlines())
    assert "re-read" not in result.stderr.splitlines()[-1]  # the run line: no such stage
