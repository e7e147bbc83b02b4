"""An operator's day, driven through the CLI against a served sandbox: a vendor that is
down fails fast and says so, Ctrl-C stops an apply gracefully with its reports written,
saved plans travel, stderr is all JSON when the log is, discovery knows git."""

from __future__ import annotations

import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import time

from tests.functional.conftest import Project, run
from tests.functional.test_apply import fast_retries


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_plan_against_a_stopped_vendor_ends_in_seconds_saying_so(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(project.sandbox.url, f"http://127.0.0.1:{closed_port()}")
    )
    planned = project.run("plan", ".")
    assert planned.returncode == 1
    # The waits show by default; a refused connection is tried 3 times (not for minutes),
    # and once an API is found down its other calls are not tried at all.
    retries = [line.split(": ", 1)[1] for line in planned.stderr.splitlines() if "retrying" in line]
    assert sorted(r.split(" in ")[0] for r in retries) == [
        "retrying ConnecttoTeams token",
        "retrying ConnecttoTeams token",
        "retrying ContextSMS login",
        "retrying ContextSMS login",
    ]
    assert all(
        " WARNING reconciler.api: " in line
        for line in planned.stderr.splitlines()
        if "retrying" in line
    )
    assert "2 of 2 enterprises cannot be planned" in planned.stderr
    assert planned.stderr.count("cannot connect to http://127.0.0.1:") >= 2


def test_ctrl_c_mid_apply_stops_gracefully_with_its_reports_and_the_next_apply_converges(
    project: Project,
) -> None:
    http = project.sandbox.client()
    assert http.put("/_sandbox/faults", json=[{"route": "/*", "latencyMs": 400}]).status_code == 200
    http.delete("/_sandbox/requests")
    args = ["apply", "--yes", ".", "--parallelism", "2", "--report", "j.json"]
    args += ["--report-junit", "j.xml", "--metrics-file", "m.prom"]
    with project.start(*args) as apply:
        deadline = time.monotonic() + 60
        writes = ("/sms/enableSMSServiceForUser", "/sms/addSMSDidsForUser")
        while not any(r["path"].endswith(writes) for r in http.get("/_sandbox/requests").json()):
            assert time.monotonic() < deadline and apply.poll() is None, "the apply never wrote"
            time.sleep(0.1)
        apply.send_signal(signal.SIGINT)
        out, err = apply.communicate(timeout=120)
    assert apply.returncode == 130, err
    assert "SIGINT: stopping; no new change starts, the calls under way finish" in err
    assert "Stopped: run apply again to finish; it picks up where this one stopped." in err
    summary = out.splitlines()[-1]
    assert summary.startswith("Apply stopped: "), out
    journal = json.loads((project.root / "j.json").read_text())
    statuses = {c["status"] for c in journal["changes"]}
    assert journal["stopped"] is True and journal["outcome"] == "incomplete"
    assert "applied" in statuses and "skipped" in statuses, statuses
    not_started = [c for c in journal["changes"] if c["status"] == "skipped"]
    reasons = {c["reason"] for c in not_started if not c["reason"].startswith("depends on ")}
    assert reasons == {"not started: the apply was stopped"}
    assert f'skipped="{len(not_started)}"' in (project.root / "j.xml").read_text()
    assert "reconciler_apply_changes" in (project.root / "m.prom").read_text()

    assert http.put("/_sandbox/faults", json=[]).status_code == 200
    again = project.run("apply", "--yes", ".", "--report", "again.json")
    assert again.returncode == 0, again.stderr
    finished = json.loads((project.root / "again.json").read_text())
    assert {c["id"] for c in finished["changes"]} <= {c["id"] for c in not_started} | {
        c["id"] for c in journal["changes"] if c["status"] == "applied" and c["kind"] == "sync"
    }
    assert project.run("drift", ".").returncode == 0


def test_a_reader_that_closes_the_json_stream_does_not_stop_the_apply(project: Project) -> None:
    http = project.sandbox.client()
    # Slow enough that the apply is still writing well after the reader has gone: its
    # dependent calls and the re-read take over a second.
    slow = [{"route": "/*", "latencyMs": 150}]
    assert http.put("/_sandbox/faults", json=slow).status_code == 200
    # `reconciler apply --yes --json . | head -1`
    with project.start("apply", "--yes", "--json", ".", "--report", "j.json") as apply:
        assert apply.stdout is not None and apply.stderr is not None
        first = json.loads(apply.stdout.readline())
        apply.stdout.close()
        err = apply.stderr.read()
        apply.wait(timeout=120)
    assert first["event"] == "start" and first["total"] == 26
    assert apply.returncode == 0, err
    assert err == (
        "standard output was closed by its reader: nothing more is written there; "
        "the apply goes on, its outcome is in the exit code\n"
        "wrote the apply journal to j.json\n"
    )
    journal = json.loads((project.root / "j.json").read_text())
    assert (journal["outcome"], len(journal["changes"])) == ("complete", 26)
    assert {c["status"] for c in journal["changes"]} == {"applied"}
    assert project.run("plan", ".", "--detailed-exitcode").returncode == 0


def test_with_json_logs_every_line_of_stderr_is_json(project: Project) -> None:
    fast_retries(project)
    http = project.sandbox.client()
    flaky = [{"route": "/connecttoteams/*", "errorRate": 0.2, "errorStatus": 503}]
    assert http.put("/_sandbox/faults", json=flaky).status_code == 200
    applied = project.run(
        "apply", "--yes", ".", "--log-format", "json", "--report", "j.json", "--parallelism", "2"
    )
    assert applied.returncode == 0, applied.stderr
    records = [json.loads(line) for line in applied.stderr.splitlines()]
    kinds = {(r["logger"], r.get("event")) for r in records}
    assert ("reconciler.cli", "finish") in kinds  # progress, as events
    assert any(r["message"].startswith("Run: ") for r in records)  # the run line too
    assert all({"time", "level", "logger", "message"} <= r.keys() for r in records)
    assert applied.stdout.splitlines()[-1].startswith("Apply complete: ")  # results on stdout


def git(root: pathlib.Path, *args: str) -> None:
    who = ["-c", "user.name=ops", "-c", "user.email=ops@example.com"]
    subprocess.run(["git", *who, *args], cwd=root, check=True, capture_output=True)


def test_a_saved_plan_travels_within_its_checkout_and_says_where_it_was_made(
    project: Project, tmp_path: pathlib.Path
) -> None:
    git(project.root, "init", "-q", ".")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "manifests")
    planned = project.run("plan", "enterprises", "-o", "plan.json")
    assert planned.returncode == 0, planned.stderr
    origin = json.loads((project.root / "plan.json").read_text())["origin"]
    assert (origin["git"], origin["paths"], origin["config"]) == (
        True,
        ["enterprises"],
        "reconciler.yaml",
    )
    assert origin["root"] == str(project.root.resolve()) and len(origin["commit"]) == 40

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    copy = elsewhere / "plan.json"
    copy.write_text((project.root / "plan.json").read_text())
    moved = project.root.with_name("moved")
    project.root.rename(moved)
    refused = run("apply", str(copy), cwd=elsewhere)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"error: {copy}: this plan was made from the manifests in {project.root.resolve()}"
        f"/enterprises at commit {origin['commit'][:12]}, which are not found from here (nor "
        "from the git work tree holding the plan); apply it from a checkout of that "
        "repository, or plan again here\n"
    )
    # From an empty directory, the plan inside the (moved) checkout finds its manifests
    # and its config there.
    applied = run("apply", str(moved / "plan.json"), cwd=elsewhere)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.splitlines()[-1].startswith("Apply complete: 26 applied, 0 failed")
    assert run("drift", cwd=moved / "enterprises").returncode == 0


def test_a_virtual_environment_in_the_manifests_repository_is_never_read(
    project: Project,
) -> None:
    venv = project.root / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    starter = venv / "lib" / "python3.11" / "site-packages" / "reconciler" / "starter"
    starter.mkdir(parents=True)
    (starter / "enterprise.yaml").write_text(project.manifest("sunshine-dental").read_text())
    checked = project.run("validate", ".", "-v")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines() == [
        f"ignored venv{os.sep}: a virtual environment (pyvenv.cfg)",
        "northwind-legal: 6 SMS users, 1 SMS group, 8 numbers, 3 mappings",
        "sunshine-dental: 6 SMS users, 2 SMS groups, 9 numbers, 3 mappings",
        "ok: 2 enterprises in 2 files",
    ]
    assert project.run("validate", ".").stdout.splitlines()[0].startswith("northwind-legal: ")
