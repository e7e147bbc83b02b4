"""The chaos suite: apply attacked as a hostile network, a slow vendor and a careless
colleague would, each case asserting convergence, no duplicates and the exit code.

Bounded and loopback only: a served sandbox, the fault proxy (tests/chaos/proxy.py),
seeded draws; a few seconds per case.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import time
from collections import Counter

import pytest

from tests.chaos import proxy
from tests.functional.conftest import CLI, CONFIG, Project
from tests.functional.test_apply import assert_converged, assert_no_duplicates, faults, state

pytestmark = pytest.mark.chaos

QUICK = (
    "\n  timeout: 1"
    "\n  retry: {attempts: 12, initialBackoff: 0.05, maxBackoff: 0.5, deadline: 60, "
    "lookupWindow: 2}"
    "\n"
)
SECRETS = ("demo-secret", "demo-password", "demo-token")


def aim(project: Project, url: str) -> None:
    """reconciler.yaml aimed at `url` (a proxy, say), with quick timeouts and retries."""
    text = CONFIG.format(url=url).replace("\napply:\n", "\napply:" + QUICK)
    (project.root / "reconciler.yaml").write_text(text)


def no_secret(*outputs: str) -> None:
    for output in outputs:
        for secret in SECRETS:
            assert secret not in output


def test_apply_through_a_hostile_network_converges_without_duplicates(project: Project) -> None:
    port = int(project.sandbox.url.rsplit(":", 1)[1])
    rates = {"reset": 0.06, "truncate": 0.06, "html": 0.06, "stall": 0.02}
    with proxy.running(port, rates, seed=11) as hostile:
        aim(project, f"http://127.0.0.1:{hostile.port}")
        result = project.run("apply", "--yes", ".")
        assert result.returncode in (0, 1), result.stderr  # never an internal error
        no_secret(result.stdout, result.stderr)
        if result.returncode == 1:  # retries ran out somewhere: the next apply converges
            again = project.run("apply", "--yes", ".")
            assert again.returncode == 0, again.stdout + again.stderr
        assert all(hostile.counts[f] > 0 for f in proxy.FAULTS), hostile.counts
    aim(project, project.sandbox.url)
    assert_no_duplicates(project)
    assert_converged(project)


def test_killed_at_random_points_it_converges_with_no_duplicates(project: Project) -> None:
    faults(project, [{"route": "/*", "latencyMs": 15, "dropAfterCommitRate": 0.05}])
    draw = random.Random(7)
    for _ in range(4):  # bounded: four kills at random moments, then a clean finish
        process = subprocess.Popen(
            [*CLI, "apply", "--yes", "."],
            cwd=project.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(draw.uniform(0.8, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    faults(project, [])
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_duplicates(project)
    assert_converged(project)


def test_two_runners_from_two_checkouts_converge_through_the_twin_rule(project: Project) -> None:
    other = project.root.parent / "other-checkout"
    shutil.copytree(project.root, other)
    # A slow enterprise create widens the race: both runners see no enterprise, both create.
    slow = [{"route": "/contextsms/api/v2/enterprise/CSP*", "latencyMs": 300}]
    for attempt in range(3):
        with project.sandbox.client() as http:
            assert http.post("/_sandbox/reset").status_code == 200
        faults(project, slow)
        runners = [
            subprocess.Popen(
                [*CLI, "apply", "--yes", "--json", "."],
                cwd=root,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for root in (project.root, other)
        ]
        results = [r.communicate(timeout=120) for r in runners]
        codes = [r.returncode for r in runners]
        # a string, so that pytest shows the summaries whole (notApplied says why)
        tails = "\n".join(out.splitlines()[-1] + "\n" + err for out, err in results if out)
        assert codes == [0, 0], f"attempt {attempt}: exit codes {codes}\n{tails}"
        for out, err in results:
            summary = json.loads(out.splitlines()[-1])
            if summary["applied"] == 0 and summary["calls"] == 0:
                # the other runner finished first: this one planned no changes, so there
                # was nothing to apply and nothing to verify
                assert summary["convergence"] is None, summary
            else:
                assert summary["convergence"]["converged"] is True, summary
            no_secret(out, err)
        live = state(project)
        created = Counter(e["name"] for e in live["csms_enterprise"])
        assert created["Northwind Legal LLP"] >= 1  # each run made one, or found the other's
        faults(project, [])
        assert_no_duplicates(project)
        assert_converged(project)
