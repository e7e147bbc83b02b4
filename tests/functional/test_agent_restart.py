"""The agent across stops and starts: SIGTERM mid-apply then a restart that converges,
`apply --revision` (a rollback to an earlier commit's manifests), and shard agents that
split an estate as `reconciler shards` does."""

from __future__ import annotations

import json
import pathlib
import re
import time

from tests.functional.agents import no_agent_left, repository, start
from tests.functional.conftest import Served, run

__all__ = ["no_agent_left"]  # the fixture: no agent outlives its test


def test_sigterm_mid_apply_exits_0_and_a_restart_converges_creating_nothing_twice(
    tmp_path: pathlib.Path, sandbox: Served
) -> None:
    remote = repository(tmp_path / "origin", sandbox, None)
    first = remote.commit("First manifests")
    http = sandbox.client()
    slow = [{"route": "/*", "latencyMs": 600}]
    assert http.put("/_sandbox/faults", json=slow).status_code == 200
    http.delete("/_sandbox/requests")
    state = tmp_path / "agent"
    agent = start(remote, state, None)
    writes = ("/sms/enableSMSServiceForUser", "/sms/addSMSDidsForUser")
    deadline = time.monotonic() + 60
    while not any(r["path"].endswith(writes) for r in http.get("/_sandbox/requests").json()):
        assert time.monotonic() < deadline, "the apply never wrote"
        time.sleep(0.1)
    code = agent.stop()  # the calls in flight (0.6 s each) finish; no new change starts
    assert code == 0, agent.log.read_text()
    assert "cycle 1 (start): stopped at" in agent.log.read_text()

    # Nothing is done twice: the restart finishes what the stop left.
    assert http.put("/_sandbox/faults", json=[]).status_code == 200
    again = run("agent", "--repo", str(remote.bare), "--state", str(state), "--once")
    assert again.returncode == 0, again.stderr
    assert re.search(r"cycle 2 \(once\): applied at " + first[:12], again.stderr), again.stderr
    history = json.loads(run("history", "--state", str(state), "--format", "json").stdout)
    [finishing, stopped] = history["cycles"]
    assert (stopped["outcome"], finishing["outcome"]) == ("stopped", "applied")
    done = {
        c["id"]
        for c in stopped["enterprises"][0]["journal"]["changes"]
        + stopped["enterprises"][1]["journal"]["changes"]
        if c["status"] == "applied"
    }
    redone = {
        c["id"]
        for e in finishing["enterprises"]
        for c in e["journal"]["changes"]
        if c["status"] == "applied"
    }
    assert done and redone and not done & redone
    assert len(done | redone) == 26
    drift = run("drift", ".", cwd=remote.work)
    assert drift.returncode == 0, drift.stdout
    live = http.get("/_sandbox/state").json()
    assert [
        len(live[t]) for t in ("c2t_sms_user", "c2t_group", "csms_enterprise", "csms_mapping")
    ] == [
        12,
        3,
        2,
        6,
    ]
    http.close()


def test_apply_revision_applies_an_earlier_commits_manifests(
    tmp_path: pathlib.Path, sandbox: Served
) -> None:
    remote = repository(tmp_path / "origin", sandbox, None)
    first = remote.commit("First manifests")
    remote.edit(
        "enterprises/sunshine-dental.yaml",
        "19:appointments@thread.tacv2",
        "19:bookings@thread.tacv2",
    )
    remote.commit("Appointments go to Bookings")
    assert run("apply", "--yes", ".", cwd=remote.work).returncode == 0

    rollback = run(
        "apply", "--yes", "--revision", first[:10], "--report", "j.json", ".", cwd=remote.work
    )
    assert rollback.returncode == 0, rollback.stderr
    assert f"applying the manifests of {first[:12]}" in rollback.stderr
    journal = json.loads((remote.work / "j.json").read_text())
    assert (journal["commit"], journal["uncommittedChanges"]) == (first, False)
    assert [(c["id"], c["status"]) for c in journal["changes"]] == [
        ("sunshine-dental/mapping/+12025550120", "applied")
    ]
    drift = run("drift", ".", cwd=remote.work)  # main says Bookings; live is the rollback
    assert drift.returncode == 2
    assert (
        "mapping +12025550120 Teams channel: git 19:bookings@thread.tacv2, live "
        "19:appointments@thread.tacv2" in drift.stdout
    )
    unknown = run("apply", "--yes", "--revision", "nope", ".", cwd=remote.work)
    assert unknown.returncode == 1
    assert unknown.stderr.startswith("error: no commit 'nope' in the repository at ")


def test_shard_agents_take_the_enterprises_of_shards_count_n_and_no_other(
    tmp_path: pathlib.Path, sandbox: Served
) -> None:
    remote = repository(tmp_path / "origin", sandbox, None)
    remote.commit("First manifests")
    matrix = json.loads(run("shards", ".", "--by", "count=2", cwd=remote.work).stdout)
    taken = []
    for i in (1, 2, 3):
        state = tmp_path / f"shard-{i}"
        once = run("agent", "--repo", str(remote.bare), "--state", str(state), "--once",
                   "--shard", f"{i}/3" if i == 3 else f"{i}/2")  # fmt: skip
        assert once.returncode == 0, once.stderr
        cycles = json.loads(run("history", "--state", str(state), "--format", "json").stdout)
        [cycle] = cycles["cycles"]
        taken.append((cycle["outcome"], [e["name"] for e in cycle["enterprises"]], cycle["note"]))
    assert taken == [
        ("applied", matrix["include"][0]["enterprises"], "First manifests"),
        ("applied", matrix["include"][1]["enterprises"], "First manifests"),
        ("idle", [], "shard 3/3 holds no enterprise"),
    ]
    assert run("drift", ".", cwd=remote.work).returncode == 0  # together: everything
