"""`reconciler agent` as it runs in production: a real agent process following a local git
repository, reconciling a served sandbox, posting notices to a local HTTP receiver, its
status page read in Chromium; one enterprise's trouble and a lost remote."""

from __future__ import annotations

import json
import pathlib
import re
import subprocess
import time

import httpx

from tests.functional.agents import (
    DIFFERENCE,
    HEALS,
    ROGUE,
    TOKEN,
    Receiver,
    card,
    enterprise,
    no_agent_left,
    receiver,
    repository,
    signed,
    start,
    timeless,
)
from tests.functional.conftest import Served, Vendor, run
from tests.functional.test_drift_html import FLAGS, chromium, rows_of

__all__ = ["no_agent_left", "receiver"]  # fixtures


def test_the_agent_applies_commits_reports_and_heals_drift_and_refuses_a_bad_revision(
    tmp_path: pathlib.Path, sandbox: Served, vendor: Vendor, receiver: Receiver
) -> None:
    remote = repository(tmp_path / "origin", sandbox, receiver)
    first = remote.commit("First manifests")
    state = tmp_path / "agent"
    agent = start(remote, state, receiver)

    # A new revision is applied: every enterprise Synced at it.
    status = agent.wait(
        "applied the first revision",
        lambda s: s["revision"] == first and s["counts"]["Synced"] == 2,
    )
    assert [(e["name"], e["status"], e["revision"]) for e in status["enterprises"]] == [
        ("northwind-legal", "Synced", first),
        ("sunshine-dental", "Synced", first),
    ]
    assert enterprise(status, "sunshine-dental")["detail"] == f"applied 14 changes at {first[:12]}"
    assert status["cycles"][-1] | {"startedAt": "", "seconds": 0} == {
        "id": 1,
        "revision": first,
        "trigger": "start",
        "startedAt": "",
        "seconds": 0,
        "outcome": "applied",
        "note": "First manifests",
    }
    # Notices go out from their own thread: the status page can say Synced before both land.
    agent.wait("told of both", lambda s: len(receiver.bodies("/webhook")) >= 2)
    applied = receiver.bodies("/webhook")
    assert [(b["event"], b["enterprise"], b["revision"]) for b in applied] == [
        ("applied", "northwind-legal", first),
        ("applied", "sunshine-dental", first),
    ]
    assert applied[1]["summary"] == f"applied 14 changes at {first[:12]}"
    assert applied[1]["details"][:2] == [
        "applied: sunshine-dental/contextsms/Sunshine Dental Clinic",
        "applied: sunshine-dental/connecttoteams/Sunshine Dental",
    ]
    assert applied[1]["statusUrl"] == agent.url

    # Drift behind git's back, no selfHeal: reported OutOfSync, left alone, told once.
    vendor.remap("+12025550120", ROGUE)
    status = agent.wait(
        "reported the drift",
        lambda s: enterprise(s, "sunshine-dental")["status"] == "OutOfSync",
    )
    assert enterprise(status, "sunshine-dental")["differences"] == [DIFFERENCE.format(live=ROGUE)]
    assert enterprise(status, "northwind-legal")["status"] == "Synced"
    metrics = agent.http.get("/metrics").text
    assert (
        'reconciler_enterprise_sync_status{enterprise="sunshine-dental",status="OutOfSync"} 1.0'
        in metrics.splitlines()
    )
    assert re.search(
        r'^reconciler_enterprise_last_synced_timestamp_seconds\{enterprise="northwind-legal"\} '
        r"1\.\d+e\+09$",
        metrics,
        re.MULTILINE,
    )
    assert re.search(
        r'^reconciler_api_responses_total\{api="ContextSMS",status="200"\} ', metrics, re.M
    )
    time.sleep(4.5)  # two more cycles: still drifted, not told again
    [drift] = receiver.bodies("/teams")
    assert timeless(drift, first) == card(
        "drift",
        "sunshine-dental",
        "drifted: 1 difference",
        [DIFFERENCE.format(live=ROGUE)],
        agent.url,
    )

    # selfHeal in git: the new revision is applied (the drift with it), and the next
    # out-of-band change is healed.
    remote.edit("enterprises/sunshine-dental.yaml", "requirePayment: false", HEALS)
    second = remote.commit("Sunshine Dental heals itself")
    status = agent.wait(
        "applied the second revision",
        lambda s: (
            s["revision"] == second and enterprise(s, "sunshine-dental")["status"] == "Synced"
        ),
    )
    assert enterprise(status, "sunshine-dental")["selfHeal"] is True
    assert enterprise(status, "sunshine-dental")["detail"] == f"applied 1 change at {second[:12]}"
    vendor.remap("+12025550120", "19:rogue-again@thread.tacv2")
    status = agent.wait(
        "healed the drift",
        lambda s: enterprise(s, "sunshine-dental")["detail"] == f"healed 1 change at {second[:12]}",
    )
    assert any(c["outcome"] == "healed" for c in status["cycles"])
    assert run("drift", ".", cwd=remote.work).returncode == 0  # live is git's again
    healed = agent.wait("told of the healing", lambda s: len(receiver.bodies("/teams")) >= 2)
    assert healed and timeless(receiver.bodies("/teams")[1], second) == card(
        "healed",
        "sunshine-dental",
        f"healed 1 change at {second[:12]}",
        ["applied: sunshine-dental/mapping/+12025550120"],
        agent.url,
    )

    # A revision that does not validate is refused; the last good one stays.
    remote.edit(
        "enterprises/sunshine-dental.yaml", "maxChangePercent: 30", "maxChangePercent: lots"
    )
    bad = remote.commit("Oops")
    why = (
        "enterprises/sunshine-dental.yaml:60:23: spec.policy.maxChangePercent: expected an "
        "integer, got a string"
    )
    status = agent.wait("refused the bad revision", lambda s: s["refused"] is not None)
    assert (status["revision"], status["head"], status["refused"]) == (
        second,
        bad,
        {"revision": bad, "reason": why},
    )
    refused = agent.wait("told of the refusal", lambda s: len(receiver.bodies("/teams")) >= 3)
    assert refused and timeless(receiver.bodies("/teams")[2], bad) == card(
        "revision-refused",
        None,
        f"revision {bad[:12]} is not applied: {why}",
        [
            "enterprises/sunshine-dental.yaml: document 1 (Enterprise sunshine-dental):",
            f"  {why}",
        ],
        agent.url,
    )
    assert agent.http.get("/readyz").json() == {"ready": True, "revision": second}

    # The push hook: unsigned is a 401 and changes nothing; signed runs a cycle at once.
    body = json.dumps({"ref": "refs/heads/main", "after": bad}).encode()
    plain = httpx.post(f"{agent.url}/hooks/git", content=body, timeout=10)
    assert (plain.status_code, plain.json()) == (401, {"error": "unsigned or wrongly signed"})
    hooked = httpx.post(f"{agent.url}/hooks/git", content=body, headers=signed(body), timeout=10)
    assert (hooked.status_code, hooked.json()) == (202, {"triggered": True})
    agent.wait("ran the hook's cycle", lambda s: any(c["trigger"] == "hook" for c in s["cycles"]))
    synced = agent.http.post("/api/sync", params={"enterprise": "northwind-legal"})
    assert (synced.status_code, synced.json()) == (
        202,
        {"triggered": True, "enterprise": "northwind-legal"},
    )
    agent.wait("ran the sync", lambda s: any(c["trigger"] == "sync" for c in s["cycles"]))
    assert httpx.get(f"{agent.url}/api/status", timeout=10).status_code == 401
    assert httpx.get(f"{agent.url}/healthz", timeout=10).text == "ok\n"

    # The status page, in a real browser at a phone's width.
    page = tmp_path / "status.html"
    page.write_text(agent.http.get("/").text)
    browser = chromium()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [browser, *FLAGS, *profile, "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    assert re.findall(r"<h[12]>(.*?)</h[12]>", dom) == [
        "reconciler agent",
        "Enterprises",
        "Last cycles",
        "Notifications",
    ]
    assert f'<div class="banner">revision {bad[:12]} was refused: {why}</div>' in dom
    names = re.findall(
        r'<span class="name">(.*?)</span><span class="status"[^>]*>(\w+)</span>', dom
    )
    assert names == [("northwind-legal", "Synced"), ("sunshine-dental", "Synced")]
    shot = tmp_path / "status.png"
    subprocess.run(
        [browser, *FLAGS, *profile, f"--screenshot={shot}", "--window-size=390,844", page.as_uri()],
        capture_output=True,
        timeout=120,
    )
    assert len(rows_of(shot.read_bytes())) > 20

    code = agent.stop()
    assert code == 0, agent.log.read_text()
    assert "stopping: no new work; finishing the calls in flight" in agent.log.read_text()
    assert TOKEN not in agent.log.read_text() and receiver.url not in agent.log.read_text()

    # The history, as `reconciler history` reads it.
    history = run(
        "history", "--state", str(state), "--enterprise", "sunshine-dental", "--format", "json"
    )
    assert history.returncode == 0, history.stderr
    cycles = json.loads(history.stdout)["cycles"]
    kept = [
        (c["outcome"], c["revision"][:7], [(e["status"], e["action"]) for e in c["enterprises"]])
        for c in reversed(cycles)
    ]
    drifted = ("drift", first[:7], [("OutOfSync", "observed")])
    assert kept[0] == ("applied", first[:7], [("Synced", "applied")])
    assert drifted in kept
    assert ("applied", second[:7], [("Synced", "applied")]) in kept
    assert ("healed", second[:7], [("Synced", "healed")]) in kept
    journal = next(c for c in cycles if c["outcome"] == "healed")["enterprises"][0]["journal"]
    assert [(c["id"], c["status"]) for c in journal["changes"]] == [
        ("sunshine-dental/mapping/+12025550120", "applied")
    ]


def test_one_enterprises_trouble_and_a_lost_remote_are_reported_and_the_loop_goes_on(
    tmp_path: pathlib.Path, sandbox: Served, receiver: Receiver
) -> None:
    quick = "  retry: {attempts: 2, initialBackoff: 0.1, maxBackoff: 0.2}\n"
    remote = repository(tmp_path / "origin", sandbox, receiver, quick)
    first = remote.commit("First manifests")
    agent = start(remote, tmp_path / "agent", receiver)
    agent.wait("applied", lambda s: s["revision"] == first and s["counts"]["Synced"] == 2)
    http = sandbox.client()
    broken = [{"route": "/connecttoteams/sms/getSMSUsers/79", "errorRate": 1.0}]
    assert http.put("/_sandbox/faults", json=broken).status_code == 200
    status = agent.wait(
        "found northwind-legal unreadable",
        lambda s: enterprise(s, "northwind-legal")["status"] == "Failed",
    )
    assert enterprise(status, "sunshine-dental")["status"] == "Synced"
    failed = enterprise(status, "northwind-legal")["detail"]
    assert "503" in failed, failed
    # notifications go out from a thread of their own: the status page may say it first
    agent.wait(
        "told of the failure",
        lambda s: any(b["event"] == "failed" for b in receiver.bodies("/webhook")),
    )
    [told] = [b for b in receiver.bodies("/webhook") if b["event"] == "failed"]
    assert (told["enterprise"], told["revision"], told["summary"]) == (
        "northwind-legal",
        first,
        failed,
    )
    after = status["cycles"][0]["id"]
    status = agent.wait("went on", lambda s: s["cycles"][0]["id"] >= after + 2)
    assert status["cycles"][0]["outcome"] == "failed"
    assert agent.http.get("/readyz").status_code == 200  # the others are read
    assert http.put("/_sandbox/faults", json=[]).status_code == 200
    agent.wait("read it again", lambda s: s["counts"]["Synced"] == 2)

    # The remote goes away: said, not fatal; the last good revision is still reconciled.
    moved = remote.bare.with_name("moved.git")
    remote.bare.rename(moved)
    status = agent.wait("lost the remote", lambda s: s["fetchError"] is not None)
    assert status["fetchError"].startswith(f"cannot fetch main from {remote.bare}: ")
    ready = agent.http.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["problems"] == [f"repository: {status['fetchError']}"]
    assert "the repository cannot be fetched: " in agent.http.get("/").text
    after = status["cycles"][0]["id"]
    status = agent.wait("went on", lambda s: s["cycles"][0]["id"] >= after + 1)
    assert (status["revision"], status["cycles"][0]["outcome"]) == (first, "in sync")
    moved.rename(remote.bare)
    agent.wait("found the remote again", lambda s: s["fetchError"] is None)
    assert agent.stop() == 0
    http.close()
