"""The operator's view, as an operator gets it: a JSON log of an apply under faults, the
apply journal and its JUnit twin checked against the sandbox's own request log, the
metrics file read back with prometheus_client's parser, the run summary; no secret in
any of them (the credentials are marker values)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.functional.conftest import SEED, Project, Vendor, golden, steady
from tests.functional.test_apply import fast_retries, faults, requests

MARKERS = {
    "demo-secret": "MARKER-c2t-secret-81d2",
    "api-admin-password": "MARKER-c2t-password-a7c1",
    "csms-password": "MARKER-csms-password-44e0",
    "demo-token": "MARKER-cnt-token-19bb",
}
CALL_FIELDS = {
    "time",
    "level",
    "logger",
    "message",
    "enterprise",
    "change",
    "stage",
    "api",
    "operation",
    "method",
    "path",
    "url",
    "status",
    "attempt",
    "queuedMs",
    "latencyMs",
}


def use_markers(project: Project) -> None:
    """Credentials that are marker values, on both sides."""
    seed = yaml.safe_load(SEED.read_text())
    seed["connecttoteams"]["clients"][0]["clientSecret"] = MARKERS["demo-secret"]
    seed["connecttoteams"]["users"][0]["password"] = MARKERS["api-admin-password"]
    seed["contextsms"]["users"][0]["password"] = MARKERS["csms-password"]
    seed["connectel"]["tokens"] = [{"token": MARKERS["demo-token"]}]
    with project.sandbox.client() as http:
        assert http.post("/_sandbox/seed", json=seed).status_code == 200
    config = project.root / "reconciler.yaml"
    text = config.read_text()
    text = text.replace("clientSecret: demo-secret", f"clientSecret: {MARKERS['demo-secret']}")
    text = text.replace(
        "username: api-admin\n    password: demo-password",
        f"username: api-admin\n    password: {MARKERS['api-admin-password']}",
    )
    text = text.replace(
        "username: ops@csp.example\n    password: demo-password",
        f"username: ops@csp.example\n    password: {MARKERS['csms-password']}",
    )
    text = text.replace("token: demo-token", f"token: {MARKERS['demo-token']}")
    assert "demo-password" not in text and "demo-secret" not in text and "demo-token" not in text
    config.write_text(text)


def no_secret(*texts: str) -> None:
    for text in texts:
        for marker in MARKERS.values():
            assert marker not in text


def journal_calls(journal: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for ch in journal["changes"] for c in ch["calls"]] + journal["otherCalls"]


def test_json_log_journal_and_junit_of_an_apply_under_503_faults(project: Project) -> None:
    use_markers(project)
    fast_retries(project)
    faults(project, [{"route": "/connecttoteams/sms/*", "errorRate": 0.3, "errorStatus": 503}])
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    # the global log options after the command, as people type them
    result = project.run(
        "apply", "--yes", ".", "--log-format", "json", "--log-level=debug",
        "--report", "journal.json", "--report-junit", "junit.xml",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    log = requests(project)
    lines = [line for line in result.stderr.splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]  # every log line parses on its own
    calls = [r for r in records if r["logger"] == "reconciler.api" and r["level"] == "debug"]
    retries = [r for r in records if r["message"].startswith("retrying ")]
    # one line per call the vendor saw, with every field
    assert len(calls) == len(log)
    assert all(set(c) == CALL_FIELDS for c in calls), calls[0]
    assert Counter((c["method"], c["url"], c["status"]) for c in calls) == Counter(
        (r["method"], r["path"], r["status"]) for r in log
    )
    failures = [c for c in calls if c["status"] == 503]
    assert failures, "the faults did not fire"
    # every 503 was retried, said as a warning (shown by default) with the wait, and the
    # next attempt was logged
    assert len(retries) == len(failures)
    assert {r["level"] for r in retries} == {"warning"}
    for failure in failures:
        assert failure["path"] in {
            "/sms/enableSMSServiceForUser",
            "/sms/addSMSDidsForUser",
            "/sms/createSMSGroup",
            "/sms/assignSMSDidsForGroup",
            "/sms/addSMSMembersForGroup",
            "/sms/getSMSUsers/{enterpriseId}",
            "/sms/getSMSGroups/{enterpriseId}",
            "/sms/getEnterpriseSMSConfig/{enterpriseId}",
        }
        again = [
            c
            for c in calls
            if (c["change"], c["operation"], c["url"])
            == (failure["change"], failure["operation"], failure["url"])
            and c["attempt"] == failure["attempt"] + 1
        ]
        assert again, failure
    users = [c for c in calls if c["operation"] == "userDids"]
    assert users[0]["path"] == "/sms/addSMSDidsForUser"
    assert users[0]["enterprise"] in {"sunshine-dental", "northwind-legal"}
    assert users[0]["change"].startswith(users[0]["enterprise"] + "/smsUser/")
    assert users[0]["stage"] == "apply"
    # the progress is JSON too: every line of stderr is
    assert len(records) == len(result.stderr.splitlines())
    finished = [
        r for r in records if r["logger"] == "reconciler.cli" and r.get("event") == "finish"
    ]
    assert len(finished) == 26 and {r["status"] for r in finished} == {"applied"}

    journal = json.loads((project.root / "journal.json").read_text())
    assert Counter((c["method"], c["url"], c["status"]) for c in journal_calls(journal)) == Counter(
        (r["method"], r["path"], r["status"]) for r in log
    )
    assert journal["outcome"] == "complete"
    assert journal["totals"] == {
        "changes": 26,
        "applied": 26,
        "failed": 0,
        "skipped": 0,
        "notApplied": 0,
        "heldBack": 0,
        "calls": len(log),
        "retries": len(failures),
        "throttled": {},
    }
    assert journal["journalVersion"] == 2
    assert list(journal["stages"]) == ["read", "plan", "apply", "re-read"]
    assert journal["convergence"]["converged"] is True
    assert journal["targets"]["ConnecttoTeams"] == project.sandbox.url + "/connecttoteams"
    assert sum(ch["retries"] for ch in journal["changes"]) + sum(
        1 for c in journal["otherCalls"] if c["status"] == 503
    ) == len(failures)
    for change in journal["changes"]:
        assert change["status"] == "applied"
        assert change["attempts"] == len(change["calls"]) >= change["plannedCalls"]
        assert change["attempts"] - change["retries"] >= change["plannedCalls"]

    suite = ET.fromstring((project.root / "junit.xml").read_text())
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [ch["id"] for ch in journal["changes"]]
    assert suite.get("tests") == "26" and suite.get("failures") == "0"
    assert all(c.find("failure") is None and c.find("skipped") is None for c in cases)

    written = [p.read_text() for p in project.root.rglob("*") if p.suffix in (".json", ".xml")]
    no_secret(result.stdout, result.stderr, *written)


def test_a_failed_change_in_the_journal_and_junit(project: Project) -> None:
    project.edit("sunshine-dental", "alice@sunshinedental.com", "nobody@sunshinedental.com")
    # One request at a time per API, so that the journal is the same at every run: at
    # once, which of the two new ContextSMS enterprises the sandbox numbers first, and
    # whether their twin looks share one listing, are the scheduler's to decide.
    result = project.run(
        "apply", "--yes", ".", "--report", "journal.json", "--report-junit", "junit.xml",
        "--metrics-file", "apply.prom", "--parallelism", "1",
    )  # fmt: skip
    assert result.returncode == 1
    journal = json.loads((project.root / "journal.json").read_text())
    [failed] = [ch for ch in journal["changes"] if ch["status"] == "failed"]
    assert failed["id"] == "sunshine-dental/smsUser/nobody@sunshinedental.com"
    assert failed["reason"].startswith("ConnecttoTeams enableUser: 4")
    assert journal["outcome"] == "incomplete"
    stable = steady(journal, project.sandbox.url)
    golden("journal/failed-change.json", json.dumps(stable, indent=2) + "\n")
    junit = (project.root / "junit.xml").read_text()
    times = re.compile(r'(time|timestamp)="[^"]*"')
    golden("journal/failed-change.xml", times.sub(r'\1="(time)"', junit))
    suite = ET.fromstring(junit)
    [case] = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert case.get("name") == failed["id"] and case.get("classname") == "sunshine-dental"
    assert case.find("failure").get("message") == failed["reason"]  # type: ignore[union-attr]
    metrics = samples((project.root / "apply.prom").read_text())
    assert metrics[("reconciler_last_run_success", (("command", "apply"),))] == 0
    assert metrics[("reconciler_apply_changes", (("command", "apply"), ("outcome", "failed")))] == 1


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_drift_metrics_parse_and_hold_the_drift_figures(project: Project, vendor: Vendor) -> None:
    project.apply()
    vendor.user_number(78, "erin@sunshinedental.com", "+12025550107", assigned=False)
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("drift", ".", "--metrics-file", "drift.prom", "--format", "json")
    assert result.returncode == 2, result.stderr
    metrics = samples((project.root / "drift.prom").read_text())
    drift = {k: v for k, v in metrics.items() if k[0].startswith("reconciler_drift")}
    d = (("command", "drift"),)
    assert drift == {
        (
            "reconciler_drift_differences",
            (*d, ("enterprise", "sunshine-dental"), ("kind", "smsUser")),
        ): 1,
        (
            "reconciler_drift_differences",
            (*d, ("enterprise", "sunshine-dental"), ("kind", "sync")),
        ): 1,
        ("reconciler_drift_enterprise_differences", (*d, ("enterprise", "northwind-legal"))): 0,
        ("reconciler_drift_enterprise_differences", (*d, ("enterprise", "sunshine-dental"))): 2,
        ("reconciler_drift_enterprise_unreadable", (*d, ("enterprise", "northwind-legal"))): 0,
        ("reconciler_drift_enterprise_unreadable", (*d, ("enterprise", "sunshine-dental"))): 0,
        ("reconciler_drift_enterprises", (*d, ("state", "drifted"))): 1,
        ("reconciler_drift_enterprises", (*d, ("state", "in_sync"))): 1,
        ("reconciler_drift_enterprises", (*d, ("state", "unreadable"))): 0,
    }
    assert metrics[("reconciler_last_run_success", d)] == 1
    log = requests(project)
    responses = {k[1]: v for k, v in metrics.items() if k[0] == "reconciler_api_responses"}
    api = {"/connecttoteams": "ConnecttoTeams", "/contextsms": "ContextSMS"}
    expected = Counter(
        (
            ("api", next(n for p, n in api.items() if r["path"].startswith(p))),
            ("command", "drift"),
            ("status", str(r["status"])),
        )
        for r in log
    )
    assert responses == dict(expected)
    # the JSON report carries the run summary and the provenance
    report = json.loads(result.stdout)
    assert report["run"]["calls"] == len(log)
    assert report["run"]["retries"] == 0
    assert set(report["run"]["stages"]) == {"read", "plan"}
    assert report["provenance"]["toolVersion"] and report["provenance"]["generatedAt"]
    assert result.stderr.splitlines()[-1].startswith("Run: ")
    assert f", {len(log)} API calls (0 retries); read " in result.stderr.splitlines()[-1]
