"""One enterprise's trouble is that enterprise's error: plan, drift and apply go on for
the others; one session per run (one login per API); reads obey the rate limit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections import Counter
from typing import Any

from tests.functional.conftest import Project, golden, without_retries, without_run
from tests.functional.test_apply import fast_retries, faults, requests

NORTHWIND_DOWN = [{"route": "/connecttoteams/*/79", "errorRate": 1.0, "errorStatus": 503}]
ERROR = (
    "cannot read it: ConnecttoTeams phoneNumbers: 503 UNAVAILABLE: Service unavailable "
    "(injected fault)"
)
ACME = """\
apiVersion: reconciler/v1
kind: Enterprise
metadata: {name: acme}
spec:
  connecttoteams: {enterpriseName: Acme, services: [SMS]}
"""


def three_enterprises_one_down(project: Project) -> None:
    fast_retries(project)
    (project.root / "enterprises" / "acme.yaml").write_text(ACME)
    faults(project, NORTHWIND_DOWN)


def test_plan_shows_the_healthy_enterprises_and_names_the_failed_call(project: Project) -> None:
    three_enterprises_one_down(project)
    result = project.run("plan", ".")
    assert result.returncode == 1
    golden("plan/one-enterprise-down.txt", result.stdout)
    assert without_retries(result.stderr) == (
        "error: 1 of 3 enterprises cannot be planned; nothing is applied to it:\n"
        f"  - enterprise 'northwind-legal': {ERROR}\n"
    )
    document = json.loads(project.run("plan", ".", "--format", "json").stdout)
    [northwind] = [e for e in document["enterprises"] if e["name"] == "northwind-legal"]
    assert northwind["problems"] == [
        {
            "kind": "read",
            "enterprise": "northwind-legal",
            "message": ERROR,
            "object": "",
            "api": "ConnecttoTeams",
            "operation": "phoneNumbers",
        }
    ]
    assert document["summary"] == {
        "create": 13,
        "update": 1,
        "delete": 0,
        "sync": 1,
        "failed": 1,
        "heldBack": 0,
        "total": 15,
    }


def test_drift_reports_the_failed_enterprise_in_json_and_junit(project: Project) -> None:
    three_enterprises_one_down(project)
    result = project.run("drift", ".", "--format", "json")
    assert result.returncode == 1  # an error beats drift
    document = json.loads(result.stdout)
    by_name = {e["name"]: e for e in document["enterprises"]}
    assert sorted(by_name) == ["acme", "northwind-legal", "sunshine-dental"]
    assert by_name["northwind-legal"] == {
        "name": "northwind-legal",
        "ids": {},
        "differences": [],
        "error": ERROR,
    }
    assert by_name["acme"]["error"] is None and len(by_name["acme"]["differences"]) == 1
    assert without_run(without_retries(result.stderr)) == (
        "Drift: 14 differences in 2 of 3 enterprises; 0 in sync; 1 could not be read: "
        "northwind-legal.\n"
    )
    junit = project.run("drift", ".", "--format", "junit")
    assert junit.returncode == 1
    suites = {s.get("name"): s for s in ET.fromstring(junit.stdout)}
    [case] = list(suites["northwind-legal"])
    error = case.find("error")
    assert error is not None
    assert (case.get("name"), error.get("type"), error.text) == ("read", "read", ERROR)
    assert suites["northwind-legal"].get("errors") == "1"
    assert {c.get("name") for c in suites["acme"]} >= {"connecttoteams", "smsUser"}


def test_apply_applies_the_healthy_enterprises_and_exits_1(project: Project) -> None:
    three_enterprises_one_down(project)
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 1
    assert result.stdout.endswith(
        "Apply incomplete: 15 applied, 0 failed, 0 skipped (27 API calls); 1 enterprise not "
        "applied: northwind-legal.\n"
    )
    assert without_run(result.stderr).endswith(
        f"  not applied: northwind-legal: {ERROR}\n"
        "Run apply again once the cause is fixed: it picks up where this one stopped.\n"
    )
    writes = [r for r in requests(project) if r["status"] < 300 and not _read(r)]
    touched = Counter(_enterprise_of(r) for r in writes)
    assert touched == {"Acme": 1, "78": 20, "CSP0000003": 1, "E0000090": 3}
    faults(project, [])
    again = project.run("plan", "--detailed-exitcode", ".")
    assert (
        again.returncode == 2
        and "sunshine-dental (ConnecttoTeams 78, ContextSMS E0000090)\n  no changes" in again.stdout
    )


def _read(request: dict[str, Any]) -> bool:
    path = request["path"]
    return request["method"] == "GET" or any(
        part in path for part in ("get", "oauth/token", "auth/login", "check-payment")
    )


def _enterprise_of(request: dict[str, Any]) -> str:
    body = json.loads(request["body"]) if isinstance(request["body"], str) else request["body"]
    path: str = request["path"]
    if "newEnterprise" in path:
        return str(body["enterpriseName"])
    if isinstance(body, dict) and "enterpriseId" in body:
        return str(body["enterpriseId"])
    return path.rstrip("/").rsplit("/", 1)[-1]


def test_apply_logs_in_once_per_api(project: Project) -> None:
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stderr
    paths = Counter(r["path"] for r in requests(project))
    assert paths["/connecttoteams/oauth/token"] == 1
    assert paths["/contextsms/api/v2/auth/login"] == 1


def test_reads_obey_the_rate_limit(project: Project) -> None:
    rate = 25
    config = project.root / "reconciler.yaml"
    config.write_text(
        config.read_text().replace(
            "connecttoteams: null, contextsms", f"connecttoteams: {rate}, contextsms"
        )
    )
    for path in (project.root / "enterprises").glob("*.yaml"):
        path.unlink()
    for i in range(1, 21):
        (project.root / "enterprises" / f"e{i:02d}.yaml").write_text(
            ACME.replace("acme", f"e{i:02d}").replace("Acme", f"E{i:02d}")
        )
    assert project.run("apply", "--yes", ".").returncode == 0
    faults(project, [{"route": "/connecttoteams/*", "rateLimitPerSecond": rate}])
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("plan", "--detailed-exitcode", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("Plan: 0 to create, 0 to update, 0 to delete, 0 syncs.\n")
    statuses = Counter(r["status"] for r in requests(project))
    assert statuses == {200: 1 + 1 + 20 * 4}  # token, enterprise list, 4 reads each


def test_without_a_client_limit_a_throttling_vendor_is_followed(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    assert "connecttoteams: null" in config.read_text()  # no client-side limit at all
    faults(project, [{"route": "/connecttoteams/*", "rateLimitPerSecond": 20}])
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("apply", "--yes", "--json", ".")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout.splitlines()[-1])
    answered = Counter(r["status"] for r in requests(project) if "/connecttoteams/" in r["path"])
    assert summary["throttled"] == ({"ConnecttoTeams": answered[429]} if answered[429] else {})
    assert answered[429] <= 10, answered  # backed off after the first burst
    # token, listing, 2 x 4 reads, 36 writes, and the re-read: listing, 2 x 4 reads
    assert answered[200] == 1 + 1 + 8 + 36 + 1 + 8
