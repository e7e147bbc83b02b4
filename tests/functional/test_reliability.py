"""Nothing lost, nothing doubled: a vendor that commits a create after the client gave up
(`commitDelayMs`), answers that are not JSON, and apply proving it converged."""

from __future__ import annotations

from collections import Counter

from tests.functional.conftest import Project
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
