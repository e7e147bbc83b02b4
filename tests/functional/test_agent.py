"""`reconciler agent` as it runs in production: a real agent process following a local git
repository, reconciling a served sandbox, posting notices to a local HTTP receiver, its
status page read in Chromium; stopped with SIGTERM mid-apply and restarted."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import http.server
import json
import os
import pathlib
import re
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.functional.conftest import CLI, CONFIG, EXAMPLES, Served, Vendor, run
from tests.functional.test_drift_html import FLAGS, chromium, rows_of
from tests.unit.agent.gitrepo import Remote

TOKEN = "agent-t0ken-5678"
SECRET = "h00k-s3cret"
AGENT = """\
agent:
  webhookSecret: ${AGENT_HOOK_SECRET}
  token: ${AGENT_TOKEN}
notifications:
  - {kind: teams, url: "${TEAMS_WEBHOOK_URL}", events: [drift, healed, revision-refused]}
  - {kind: webhook, url: "{receiver}/webhook", events: [applied, failed]}
"""
ROGUE = "19:rogue@thread.tacv2"
HEALS = "requirePayment: false\n    selfHeal: true"
DIFFERENCE = (
    "mapping +12025550120 Teams channel: git 19:appointments@thread.tacv2, live {live}: "
    "apply would update it"
)


class Receiver:
    """A local HTTP endpoint that keeps every JSON body posted to it."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, dict[str, Any]]] = []
        received = self.posts

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                received.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(202)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def bodies(self, path: str) -> list[dict[str, Any]]:
        return [body for where, body in list(self.posts) if where == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def repository(root: pathlib.Path, sandbox: Served, receiver: Receiver | None) -> Remote:
    remote = Remote(root)
    for path in sorted((EXAMPLES / "enterprises").glob("*.yaml")):
        remote.write(f"enterprises/{path.name}", path.read_text())
    config = CONFIG.format(url=sandbox.url)
    if receiver is not None:
        config += AGENT.replace("{receiver}", receiver.url)
    remote.write("reconciler.yaml", config)
    return remote


@dataclasses.dataclass
class RunningAgent:
    process: subprocess.Popen[str]
    url: str
    log: pathlib.Path
    http: httpx.Client

    def status(self) -> dict[str, Any]:
        answer = self.http.get("/api/status")
        assert answer.status_code == 200, answer.text
        document: dict[str, Any] = answer.json()
        return document

    def wait(self, what: str, ready: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The status once `ready` holds of it (within 60 s: a few cycles of 2 s)."""
        deadline = time.monotonic() + 60
        status = self.status()
        while not ready(status):
            assert self.process.poll() is None, f"the agent exited: {self.log.read_text()}"
            assert time.monotonic() < deadline, f"never {what}: {json.dumps(status, indent=1)}"
            time.sleep(0.2)
            status = self.status()
        return status

    def stop(self) -> int:
        """SIGTERM; the exit code."""
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=90)
        self.http.close()
        return code


STARTED: list[subprocess.Popen[str]] = []


@pytest.fixture(autouse=True)
def no_agent_left() -> Iterator[None]:
    """An agent a failed test left running is killed (only those this module started)."""
    yield
    while STARTED:
        process = STARTED.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def env() -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
        "PYTHONUNBUFFERED": "1",
        "AGENT_TOKEN": TOKEN,
        "AGENT_HOOK_SECRET": SECRET,
    }


def start(remote: Remote, state: pathlib.Path, receiver: Receiver | None) -> RunningAgent:
    log = state.parent / f"agent-{time.monotonic_ns()}.log"
    extra = {"TEAMS_WEBHOOK_URL": f"{receiver.url}/teams"} if receiver else {}
    with log.open("w") as sink:
        process = subprocess.Popen(
            [
                *CLI,
                "agent",
                "--repo",
                str(remote.bare),
                "--interval",
                "2s",
                "--listen",
                "127.0.0.1:0",
                "--state",
                str(state),
            ],
            stdout=subprocess.DEVNULL,
            stderr=sink,
            text=True,
            env={**env(), **extra},
        )
    STARTED.append(process)
    deadline = time.monotonic() + 60
    while not (found := re.search(r"agent listening on (http://\S+)", log.read_text())):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise AssertionError(f"the agent did not start: {log.read_text()}")
        time.sleep(0.1)
    url = found.group(1)
    client = httpx.Client(base_url=url, timeout=10, headers={"Authorization": f"Bearer {TOKEN}"})
    return RunningAgent(process, url, log, client)


def enterprise(status: dict[str, Any], name: str) -> dict[str, Any]:
    [found] = [e for e in status["enterprises"] if e["name"] == name]
    return found


def card(event: str, enterprise: str | None, summary: str, details: list[str], url: str) -> Any:
    """The Teams Workflows message the agent posts, but for its time (checked apart)."""
    titles = {"drift": "drifted from git", "healed": "healed back to git's state"}
    titles["revision-refused"] = "revision refused"
    colours = {"drift": "Warning", "healed": "Good", "revision-refused": "Attention"}
    facts = [{"title": "Event", "value": event}]
    facts += [{"title": "Enterprise", "value": enterprise}] if enterprise else []
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "size": "Medium",
            "weight": "Bolder",
            "color": colours[event],
            "text": f"{enterprise or 'reconciler'}: {titles[event]}",
            "wrap": True,
        },
        {"type": "TextBlock", "text": summary, "wrap": True},
        {"type": "FactSet", "facts": facts},
    ]
    if details:
        body.append(
            {
                "type": "TextBlock",
                "text": "\n".join(f"- {line}" for line in details),
                "wrap": True,
                "fontType": "Monospace",
                "size": "Small",
            }
        )
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": body,
                    "actions": [{"type": "Action.OpenUrl", "title": "Status page", "url": url}],
                },
            }
        ],
    }


def timeless(message: dict[str, Any], revision: str) -> dict[str, Any]:
    """`message` with its revision and time facts checked and taken out."""
    facts = message["attachments"][0]["content"]["body"][2]["facts"]
    assert facts[-2] == {"title": "Revision", "value": revision[:12]}
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", facts[-1]["value"])
    del facts[-2:]
    return message


def signed(body: bytes, secret: str = SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


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
