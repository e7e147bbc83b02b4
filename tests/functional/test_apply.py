"""`reconciler apply` against a served sandbox: convergence, minimal calls, faults,
SIGKILL, partial failure, stale saved plans, the lock, and no token in any output."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from collections import Counter
from typing import Any

from tests.functional.conftest import CLI, Project, Vendor, shared_looks

FAST_RETRY = "\n  retry: {attempts: 8, initialBackoff: 0.01, maxBackoff: 0.05, deadline: 30}\n"


def fast_retries(project: Project) -> None:
    config = project.root / "reconciler.yaml"
    config.write_text(config.read_text().replace("\napply:\n", "\napply:" + FAST_RETRY))


def requests(project: Project) -> list[dict[str, Any]]:
    with project.sandbox.client() as http:
        return list(http.get("/_sandbox/requests").json())


def state(project: Project) -> dict[str, Any]:
    with project.sandbox.client() as http:
        return dict(http.get("/_sandbox/state").json())


def faults(project: Project, rules: list[dict[str, Any]]) -> None:
    with project.sandbox.client() as http:
        assert http.put("/_sandbox/faults", json=rules).status_code == 200


def assert_converged(project: Project) -> None:
    result = project.run("plan", "--detailed-exitcode", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes" in result.stdout


def assert_no_duplicates(project: Project) -> None:
    dump = state(project)
    groups = Counter((g["enterprise_id"], g["name"]) for g in dump["c2t_group"])
    assert max(groups.values()) == 1 and len(groups) == 3
    names = Counter(e["name"] for e in dump["csms_enterprise"] if not e["deleted"])
    assert max(names.values()) == 1 and len(names) == 2
    assert len(dump["csms_mapping"]) == 6


def test_apply_then_plan_is_empty_with_the_minimal_calls(project: Project) -> None:
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stderr
    assert shared_looks(result.stdout, 46).endswith(
        # 44 writes, and a look for a twin after each of the 2 enterprises it created
        "Apply complete: 26 applied, 0 failed, 0 skipped (46 API calls).\n"
    )
    log = [r for r in requests(project) if not _read((r["method"], r["path"]))]
    log = [r for r in log if not r["path"].endswith("/oauth/token")]
    writes = [(r["method"], r["path"]) for r in log]
    count = Counter(
        path.split("/")[2] if path.startswith("/connecttoteams") else "contextsms"
        for _, path in writes
    )
    # 2 ContextSMS enterprises + 6 mappings; 1 editEnterprise; 12 users x (enable + 1 DID call);
    # 3 groups x (create + DIDs + members); 2 syncs.
    assert count == {"contextsms": 8, "reseller": 1, "sms": 33, "enterprise": 2}
    # Sync Unified App once per enterprise, after every other write of that enterprise
    # (writes of other enterprises may still run: no barrier holds them)
    for enterprise_id in (78, 79):
        mine = [i for i, r in enumerate(log) if _of_enterprise(r, enterprise_id)]
        syncs = [i for i in mine if "syncUnifiedApp" in log[i]["path"]]
        assert len(syncs) == 1 and syncs[0] == mine[-1], (enterprise_id, mine, syncs)
    assert_converged(project)


def _of_enterprise(request: dict[str, Any], enterprise_id: int) -> bool:
    """A ConnecttoTeams write to this enterprise (its id in the body or the path)."""
    body = request["body"] if isinstance(request["body"], dict) else {}
    return body.get("enterpriseId") == enterprise_id or request["path"].endswith(
        f"/{enterprise_id}"
    )


def _read(request: tuple[str, str]) -> bool:
    method, path = request
    return method == "GET" or any(
        part in path
        for part in (
            "getEnterpriseSMSConfig",
            "getSMSUsers",
            "getSMSGroups",
            "getPhoneNumbers",
            "auth/login",
            "check-payment",
        )
    )


def test_a_move_and_prune_apply_and_converge(project: Project, vendor: Vendor) -> None:
    project.apply()
    frank = "frank@sunshinedental.com"
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser", {"userId": frank, "enterpriseId": 78, "enable": True}
    )
    vendor.user_number(78, frank, "+12025550112", assigned=True)
    project.edit("sunshine-dental", 'numbers: ["+12025550107"]', "numbers: []")
    project.edit(
        "sunshine-dental",
        'numbers: ["+12025550110"]',
        'numbers: ["+12025550110", "+12025550107", "+12025550112"]',
    )
    project.edit("sunshine-dental", "prune: false", "prune: true")
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Apply complete: 4 applied" in result.stdout
    assert_converged(project)
    users = {u["user_id"]: u["enable"] for u in state(project)["c2t_sms_user"]}
    assert users[frank] == 0


def test_faults_converge_in_one_apply_without_duplicates(project: Project) -> None:
    fast_retries(project)
    faults(
        project,
        [
            {
                "route": "/connecttoteams/sms/*",
                "errorRate": 0.2,
                "errorStatus": 503,
                "dropAfterCommitRate": 0.1,
                "rateLimitPerSecond": 10,
            },
            {"route": "/contextsms/api/v2/enterprise/*", "dropAfterCommitRate": 0.5},
            {"route": "/contextsms/api/v2/mapping/add/*", "dropAfterCommitRate": 0.5},
        ],
    )
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    log = requests(project)
    statuses = Counter(r["status"] for r in log)
    assert statuses[503] > 0 and statuses[429] > 0, statuses
    faults(project, [])
    assert_no_duplicates(project)
    assert_converged(project)


def test_killed_apply_converges_on_the_next_one(project: Project) -> None:
    faults(project, [{"route": "/connecttoteams/sms/*", "latencyMs": 30}])
    process = subprocess.Popen(
        [*CLI, "apply", "--yes", "--parallelism", "2", "."],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    finished = 0
    for line in process.stderr:
        finished += line.startswith("[")
        if finished == 8:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    second = project.run("plan", "--detailed-exitcode", ".")
    assert second.returncode == 2  # work left to do
    faults(project, [])
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 0, result.stdout + result.stderr
    assert_no_duplicates(project)
    assert_converged(project)


def test_a_second_apply_at_once_is_refused(project: Project) -> None:
    faults(project, [{"route": "/connecttoteams/*", "latencyMs": 200}])
    first = subprocess.Popen(
        [*CLI, "apply", "--yes", "--parallelism", "1", "."],
        cwd=project.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert first.stderr is not None
    first.stderr.readline()  # the first change finished: it holds the lock
    second = project.run("apply", "--yes", ".")
    first.kill()
    first.wait()
    assert second.returncode == 1
    assert "another reconciler apply is running on this config" in second.stderr


def test_permanent_failure_keeps_independent_work_and_still_syncs(project: Project) -> None:
    fast_retries(project)
    project.apply()
    project.edit(
        "sunshine-dental",
        "  smsGroups:",
        '    - userId: zoe@sunshinedental.com\n      numbers: ["+12025550112"]\n  smsGroups:',
    )
    project.edit("sunshine-dental", "userTag: billing", "userTag: accounts")
    acme = project.root / "enterprises" / "acme.yaml"
    acme.write_text(
        "apiVersion: reconciler/v1\nkind: Enterprise\nmetadata: {name: acme}\nspec:\n"
        "  connecttoteams: {enterpriseName: Acme, services: [SMS]}\n"
        "  smsUsers: [{userId: ann@acme.example}]\n"
    )
    faults(
        project,
        [{"route": "/connecttoteams/reseller/newEnterprise", "errorRate": 1.0, "errorStatus": 500}],
    )
    result = project.run("apply", "--yes", ".")
    assert result.returncode == 1
    assert "Apply incomplete: 2 applied, 2 failed, 1 skipped" in result.stdout, result.stdout
    err = result.stderr
    assert (
        "failed: sunshine-dental/smsUser/zoe@sunshinedental.com: ConnecttoTeams enableUser: 404 USER_NOT_IN_SCOPE: zoe@sunshinedental.com is not a Teams user in scope of enterprise 78"
        in err
    )
    assert "failed: acme/connecttoteams/Acme: ConnecttoTeams newEnterprise: 500 UNAVAILABLE" in err
    assert (
        "skipped: acme/smsUser/ann@acme.example: depends on acme/connecttoteams/Acme, which failed"
        in err
    )
    dump = state(project)
    dave = [u for u in dump["c2t_sms_user"] if u["user_id"] == "dave@sunshinedental.com"]
    assert dave[0]["user_tag"] == "accounts"  # independent change applied
    assert [e["app_synced"] for e in dump["c2t_enterprise"] if e["id"] == 78] == [1]


def test_stale_saved_plan_is_refused(project: Project, vendor: Vendor) -> None:
    project.apply()
    project.edit("sunshine-dental", "userTag: billing", "userTag: accounts")
    assert project.run("plan", ".", "-o", "plan.json").returncode == 0
    vendor.c2t_post(
        "/sms/enableSMSServiceForUser",
        {"userId": "dave@sunshinedental.com", "enterpriseId": 78, "enable": True, "userTag": "ops"},
    )
    result = project.run("apply", "plan.json")
    assert result.returncode == 1
    assert result.stderr == (
        "error: the saved plan is stale: the live platforms changed since it was made, so it is "
        "not applied; make a new plan and review it:\n"
        "  sunshine-dental/smsUser/dave@sunshinedental.com: the live object changed since the plan\n"
    )
    project.edit("sunshine-dental", "userTag: accounts", "userTag: finance")
    result = project.run("apply", "plan.json")
    assert result.returncode == 1
    assert result.stderr == (
        "error: the saved plan is stale: the manifests changed since it was made, so it is not "
        "applied; make a new plan and review it:\n"
        "  sunshine-dental/smsUser/dave@sunshinedental.com: the manifest changed it "
        "(userTag: 'accounts' → 'finance')\n"
    )
    # an edit that changes no planned object is still an edit to what was reviewed
    project.edit("sunshine-dental", "userTag: finance", "userTag: accounts  # reviewed")
    result = project.run("apply", "plan.json")
    assert result.returncode == 1
    assert result.stderr.endswith(
        "  no planned change differs: the edit is in comments, formatting or objects the plan "
        "does not change\n"
    )


def test_saved_plan_applies_exactly(project: Project) -> None:
    assert project.run("plan", ".", "-o", "plan.json").returncode == 0
    saved = json.loads((project.root / "plan.json").read_text())
    planned = Counter(
        call["operation"]
        for enterprise in saved["enterprises"]
        for change in enterprise["changes"]
        for call in change["calls"]
    )
    with project.sandbox.client() as http:
        http.delete("/_sandbox/requests")
    result = project.run("apply", "plan.json")
    assert result.returncode == 0, result.stderr
    # beyond the planned calls: the twin rule's looks after the two enterprises are made
    assert shared_looks(result.stdout, planned.total() + 2).endswith(
        f"Apply complete: 26 applied, 0 failed, 0 skipped ({planned.total() + 2} API calls).\n"
    )
    writes = [
        (r["method"], r["path"]) for r in requests(project) if not _read((r["method"], r["path"]))
    ]
    writes = [w for w in writes if not w[1].endswith("/oauth/token")]
    assert len(writes) == planned.total() == 44
    assert_converged(project)


def test_no_confirmation_without_a_terminal(project: Project) -> None:
    result = project.run("apply", ".")
    assert result.returncode == 1
    assert result.stderr.startswith("error: refusing to apply without confirmation: not a terminal")
    assert state(project)["csms_enterprise"] == []


def test_no_token_ever_appears_in_output(project: Project) -> None:
    fast_retries(project)
    faults(project, [{"route": "/connecttoteams/sms/*", "errorRate": 0.2}])
    result = project.run("apply", "--yes", "--json", ".")
    plan = project.run("plan", "--format", "json", "--show-calls", ".")
    with sqlite3.connect(project.sandbox.db) as db:
        tokens = [row[0] for row in db.execute("SELECT token FROM tokens")]
    assert tokens
    secrets = [*tokens, "demo-secret", "demo-password", "demo-token"]
    for text in (result.stdout, result.stderr, plan.stdout, plan.stderr):
        for secret in secrets:
            assert secret not in text
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events[-1]["event"] == "summary" and events[-1]["failed"] == 0
    assert {e["event"] for e in events} - {"retry"} == {"start", "finish", "summary"}
    for retry in (e for e in events if e["event"] == "retry"):
        assert set(retry) == {"event", "change", "api", "operation", "attempt", "waitMs", "reason"}
        assert retry["api"] == "ConnecttoTeams" and retry["reason"].startswith("503 ")


def test_sandbox_in_process_persists_next_to_the_config(tmp_path: Any) -> None:
    project = tmp_path / "p"
    project.mkdir()
    from tests.functional.conftest import EXAMPLES, run

    for name in ("reconciler.yaml", "sandbox-seed.yaml"):
        (project / name).write_text((EXAMPLES / name).read_text())
    (project / "enterprises").mkdir()
    for path in (EXAMPLES / "enterprises").glob("*.yaml"):
        (project / "enterprises" / path.name).write_text(path.read_text())
    assert run("apply", "--yes", ".", cwd=project).returncode == 0
    assert (project / ".reconciler" / "sandbox.db").exists()
    assert run("plan", "--detailed-exitcode", ".", cwd=project).returncode == 0
